-- Frigate NVRs as MQTT identities. Frigate publishes every camera's events on shared topics
-- (frigate/events, frigate/available), so the right to publish there belongs to the NVR that
-- serves the cameras, never to a camera login: a camera is Frigate-fed only when assigned to an NVR.
CREATE TABLE IF NOT EXISTS nvrs (
  id                  text PRIMARY KEY,
  name                text NOT NULL,
  password_hash       text,
  mqtt_password_hash  text,
  active              boolean NOT NULL DEFAULT true
);
ALTER TABLE cameras ADD COLUMN IF NOT EXISTS nvr_id text REFERENCES nvrs (id) ON DELETE SET NULL;
CREATE INDEX IF NOT EXISTS cameras_nvr_idx ON cameras (nvr_id);
