/** A new client id (`<prefix>-` + 32 hex chars): valid as a message id and as a photo id. */
export function newClientId(prefix = 'f'): string {
  const c = globalThis.crypto;
  // randomUUID needs a secure context (HTTPS or localhost); getRandomValues works everywhere.
  if (typeof c.randomUUID === 'function') return `${prefix}-${c.randomUUID().replace(/-/g, '')}`;
  const hex = Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0'));
  return `${prefix}-${hex.join('')}`;
}
