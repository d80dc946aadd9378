-- A deactivated person, or one whose password changed, must lose live broker sessions at once:
-- the embedded broker LISTENs here and disconnects that user name's connections.
CREATE OR REPLACE FUNCTION wardmap_notify_identity_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('wardmap_identity', OLD.id);
    RETURN OLD;
  END IF;
  IF NEW.active IS DISTINCT FROM OLD.active
     OR NEW.password_hash IS DISTINCT FROM OLD.password_hash
     OR NEW.mqtt_password_hash IS DISTINCT FROM OLD.mqtt_password_hash THEN
    PERFORM pg_notify('wardmap_identity', NEW.id);
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS people_identity_change ON people;
CREATE TRIGGER people_identity_change AFTER UPDATE OR DELETE ON people
  FOR EACH ROW EXECUTE FUNCTION wardmap_notify_identity_change();
DROP TRIGGER IF EXISTS nvrs_identity_change ON nvrs;
CREATE TRIGGER nvrs_identity_change AFTER UPDATE OR DELETE ON nvrs
  FOR EACH ROW EXECUTE FUNCTION wardmap_notify_identity_change();
