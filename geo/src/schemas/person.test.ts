import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { PersonSchema, PersonViewSchema } from './person.ts';

const valid = { id: 'p-001', name: '王芳', roles: ['patroller'], password: 'correct-horse' };

describe('PersonSchema', () => {
  it('accepts a patroller and a multi-role person with optional links', () => {
    expect(PersonSchema.parse(valid)).toEqual(valid);
    const p = PersonSchema.parse({
      ...valid,
      roles: ['river_chief', 'liaison', 'river_chief'],
      phone: '+86 138-0000-0000',
      gridId: 'grid-07',
      organisationId: 'org-police',
      policePostId: 'pp-3',
    });
    expect(p.roles).toEqual(['river_chief', 'liaison']);
  });

  it('rejects empty roles and an unknown role, naming roles', () => {
    expect(parseOrReason(PersonSchema, { ...valid, roles: [] })).toEqual({
      ok: false,
      reason: 'roles: roles must name at least one role',
    });
    const r = parseOrReason(PersonSchema, { ...valid, roles: ['mayor'] });
    expect(!r.ok && r.reason).toMatch(/^roles\.0: /);
  });

  it('rejects a 7-character password, naming password', () => {
    expect(parseOrReason(PersonSchema, { ...valid, password: 'short12' })).toEqual({
      ok: false,
      reason: 'password: password must be at least 8 characters',
    });
  });

  it('rejects an id with a slash and a blank name', () => {
    const r = parseOrReason(PersonSchema, { ...valid, id: 'p/001', name: ' ' });
    expect(!r.ok && r.reason).toMatch(/^id: .*; name: /);
  });

  it('never exposes the password in the view', () => {
    const { password: _omit, ...view } = valid;
    expect(PersonViewSchema.parse({ ...valid })).toEqual(view);
  });
});
