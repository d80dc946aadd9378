-- Photos uploaded by phones (POST /api/photos). The bytes live in the database, not on a disk
-- beside it, so backups and the access rules of the report they belong to cover them too.
-- id: the client's id (an outbox message id) so a retried upload lands on the same row.
-- A photo belongs to an incident (incident_id, known when it is attached to existing work, e.g.
-- an "after" photo) or to a report whose id the phone chose before sending it (report_id: the
-- message id of a river report, or the client id of an incident reported by hand); the report may
-- arrive after the photo, so access is resolved when the photo is read.
CREATE TABLE IF NOT EXISTS photos (
  id             text PRIMARY KEY,
  owner_id       text NOT NULL,
  content_type   text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes          bytea NOT NULL,
  size_bytes     integer NOT NULL,
  width          integer,
  height         integer,
  sha256         text NOT NULL,
  -- Metadata blocks removed on upload (e.g. {APP1 Exif}); empty when none or when kept by config.
  stripped       text[] NOT NULL DEFAULT '{}',
  purpose        text NOT NULL DEFAULT 'report' CHECK (purpose IN ('report', 'after', 'resolve')),
  incident_id    text,
  report_id      text,
  taken_at       timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS photos_incident_idx ON photos (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS photos_report_idx ON photos (report_id) WHERE report_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS photos_owner_idx ON photos (owner_id, created_at);
