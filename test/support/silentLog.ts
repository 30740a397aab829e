import type { Log } from '../../src/log/logger';

/** A log that drops every line: for tests that do not read the log. */
export const silentLog: Log = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
