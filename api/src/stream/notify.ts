// Change notices are recorded by the change feed in `@wardmap/db` (channel, outbox, wake-up).
export { CHANGES_CHANNEL, recordChange as notifyChange } from '@wardmap/db';
