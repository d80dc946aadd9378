// Moved to test/src/support/ingest.ts; kept so that older imports keep working.
export { count, eventually, openPublisher } from '../support/ingest.ts';
