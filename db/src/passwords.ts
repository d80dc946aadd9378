import { pbkdf2 as pbkdf2Cb, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;
const pbkdf2 = promisify(pbkdf2Cb);
const PARAMS = { N: 16384, r: 8, p: 1 };

/** Hashes a password for storage: `scrypt$N$r$p$salt$hash`, never the password itself. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

// A hash of nothing anyone knows: unknown ids and password-less accounts are checked against it, so
// they cost the same scrypt run as a known id and answer time tells nothing (no enumeration oracle).
const DUMMY_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/**
 * Checks a password against a stored hash in constant time. A missing or malformed hash runs the
 * same scrypt against a dummy and answers false, so unknown and known ids take the same time.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  let parts = stored?.split('$');
  let real = true;
  if (parts?.length !== 6 || parts[0] !== 'scrypt') {
    parts = DUMMY_HASH.split('$');
    real = false;
  }
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashB64, 'base64');
  const got = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return got.length === expected.length && timingSafeEqual(got, expected) && real;
}

const MOSQUITTO_ITERATIONS = 101;

/**
 * Hashes a password in Mosquitto's password-file format (`$7$iterations$salt$hash`, PBKDF2-SHA512,
 * as `mosquitto_passwd` writes it), so the broker's password file can be generated from the database.
 */
export async function mosquittoPasswordHash(
  password: string,
  iterations = MOSQUITTO_ITERATIONS,
): Promise<string> {
  const salt = randomBytes(12);
  const hash = await pbkdf2(password, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a Mosquitto `$7$` hash; false for anything malformed. */
export async function verifyMosquittoPassword(
  password: string,
  stored: string | null | undefined,
): Promise<boolean> {
  const parts = stored?.split('$');
  if (parts?.length !== 5 || parts[1] !== '7') return false;
  const iterations = Number(parts[2]);
  if (!Number.isInteger(iterations) || iterations < 1) return false;
  const expected = Buffer.from(parts[4] ?? '', 'base64');
  if (expected.length === 0) return false;
  const got = await pbkdf2(
    password,
    Buffer.from(parts[3] ?? '', 'base64'),
    iterations,
    expected.length,
    'sha512',
  );
  return timingSafeEqual(got, expected);
}
