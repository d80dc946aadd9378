-- Mosquitto cannot check our scrypt hashes: its password file wants its own PBKDF2-SHA512 format
-- ($7$). The hash is computed from the same password when it is set, so `npm run mosquitto:acl`
-- can write Mosquitto's password file from the database without ever storing a plain password.
ALTER TABLE people ADD COLUMN IF NOT EXISTS mqtt_password_hash text;
ALTER TABLE cameras ADD COLUMN IF NOT EXISTS mqtt_password_hash text;
