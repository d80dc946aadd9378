import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { OutboxItem } from './types.ts';

interface OutboxDb extends DBSchema {
  outbox: { key: number; value: OutboxItem; indexes: { byId: string } };
  meta: { key: string; value: { key: string; value: number } };
}

export type OutboxStore = IDBPDatabase<OutboxDb>;

/** Opens (or creates) the outbox database: items by insertion order, unique by client id. */
export function openOutboxStore(name = 'wardmap-field'): Promise<OutboxStore> {
  return openDB<OutboxDb>(name, 1, {
    upgrade(db) {
      const items = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      items.createIndex('byId', 'id', { unique: true });
      db.createObjectStore('meta', { keyPath: 'key' });
    },
  });
}

/** Writes a new item (seq assigned by IndexedDB); an id already queued is not queued twice. */
export async function putNew(db: OutboxStore, item: Omit<OutboxItem, 'seq'>): Promise<OutboxItem> {
  const tx = db.transaction('outbox', 'readwrite');
  const existing = await tx.store.index('byId').get(item.id);
  if (existing) {
    await tx.done;
    return existing;
  }
  const seq = await tx.store.add(item as OutboxItem);
  await tx.done;
  return { ...item, seq };
}

export const allItems = (db: OutboxStore) => db.getAll('outbox');
export const removeItem = (db: OutboxStore, seq: number) => db.delete('outbox', seq);
export const updateItem = (db: OutboxStore, item: OutboxItem) => db.put('outbox', item);

export async function getMeta(db: OutboxStore, key: string): Promise<number> {
  return (await db.get('meta', key))?.value ?? 0;
}
export async function setMeta(db: OutboxStore, key: string, value: number): Promise<void> {
  await db.put('meta', { key, value });
}
