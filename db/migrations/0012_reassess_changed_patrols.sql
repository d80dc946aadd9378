-- Ingest rebuilds a patrol's track, distance and times when late or out-of-order messages arrive,
-- possibly after the api assessed it. Any such change re-opens the assessment (coverage, validity
-- flags), so the stored result always describes the current track.
CREATE OR REPLACE FUNCTION wardmap_patrols_reassess() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.assessed_at IS NOT NULL AND NEW.assessed_at IS NOT DISTINCT FROM OLD.assessed_at AND (
       NEW.track IS DISTINCT FROM OLD.track OR NEW.distance_m IS DISTINCT FROM OLD.distance_m
       OR NEW.duration_s IS DISTINCT FROM OLD.duration_s OR NEW.started_at IS DISTINCT FROM OLD.started_at
       OR NEW.ended_at IS DISTINCT FROM OLD.ended_at OR NEW.segment_id IS DISTINCT FROM OLD.segment_id
       OR NEW.grid_id IS DISTINCT FROM OLD.grid_id OR NEW.status IS DISTINCT FROM OLD.status) THEN
    NEW.assessed_at := NULL;
    NEW.valid := NULL;
    NEW.coverage := NULL;
    -- The assessor's own flags; anything else a writer put there stays.
    NEW.flags := ARRAY(SELECT f FROM unnest(NEW.flags) AS f
                        WHERE f <> ALL (ARRAY['no_track', 'too_short_time', 'too_short_distance',
                                              'impossible_speed', 'clock_skew', 'late_upload']));
  END IF;
  RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS patrols_reassess ON patrols;
CREATE TRIGGER patrols_reassess BEFORE UPDATE ON patrols
  FOR EACH ROW EXECUTE FUNCTION wardmap_patrols_reassess();
