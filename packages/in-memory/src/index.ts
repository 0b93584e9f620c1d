export { InMemoryEventSource } from './in-memory-event-source.js';
export { InMemoryLevelSink } from './in-memory-level-sink.js';
export { InMemoryStateStore, InMemoryVersionConflictError } from './in-memory-state-store.js';
