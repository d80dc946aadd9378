/** A bind parameter with the SQL type it is cast to (so a value reused in several places types once). */
export interface Typed {
  value: unknown;
  type: string;
}

/** Pairs a value with its SQL type for {@link bindNamed}. */
export const typed = (value: unknown, type: string): Typed => ({ value, type });

export interface BoundSql {
  text: string;
  params: unknown[];
}

const NAMED = /(?<![:\w]):([a-z][a-zA-Z0-9_]*)/g;

/**
 * Turns `:name` placeholders into positional `$n::type` bind parameters. `fragments` are SQL
 * snippets substituted first (themselves using placeholders), e.g. `:bounds` becomes the tile
 * envelope expression for tiles and a bbox envelope for GeoJSON, so one layer query serves both.
 * Unknown names throw: a typo must not silently become a literal.
 */
export function bindNamed(
  sql: string,
  params: Record<string, Typed>,
  fragments: Record<string, string> = {},
): BoundSql {
  let text = sql;
  for (let pass = 0; pass < 3; pass++) {
    text = text.replace(NAMED, (whole, name: string) => (name in fragments ? `(${fragments[name]})` : whole));
  }
  const order: string[] = [];
  const out = text.replace(NAMED, (_whole, name: string) => {
    const p = params[name];
    if (!p) throw new Error(`SQL placeholder :${name} has no value`);
    let idx = order.indexOf(name);
    if (idx < 0) idx = order.push(name) - 1;
    return `$${idx + 1}::${p.type}`;
  });
  return { text: out, params: order.map((n) => params[n]?.value) };
}
