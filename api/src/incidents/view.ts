// The incident row mapping lives beside the change feed in the db workspace (the stream's events
// and the API's reads must agree on it); re-exported here for the API's routes.
export { INCIDENT_COLUMNS, type IncidentRow, incidentArea, incidentView } from '@wardmap/db';
