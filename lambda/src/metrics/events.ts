import catalogue from "./metrics.json" with { type: "json" };

/** A domain event the function counts: one CloudWatch metric each, without dimensions (see metrics.json). */
export type EventMetric = keyof typeof catalogue.eventMetrics;

export const EVENT_METRICS = Object.keys(catalogue.eventMetrics) as EventMetric[];

const BITS = Object.fromEntries(EVENT_METRICS.map((name, index) => [name, 1 << index])) as Record<EventMetric, number>;

/**
 * Where a request's events are noted: a symbol-keyed member of its log record, which neither the logger's
 * serialisation nor JSON.stringify ever shows. The router turns the set into the line's metrics.
 */
const EVENTS: unique symbol = Symbol("events");

export interface EventCounts {
  [EVENTS]?: number;
}

/**
 * Counts `event` for this request: its metric, with the value 1, goes into the request's log line. A
 * handler calls it where the outcome is known, e.g. `countEvent(log, "AdminActions")`; counting the same
 * event twice in one request still counts it once.
 */
export function countEvent(log: EventCounts, event: EventMetric): void {
  log[EVENTS] = (log[EVENTS] ?? 0) | BITS[event];
}

/** The events counted for a request, as a set of bits (bit i is EVENT_METRICS[i]). */
export function countedEvents(log: EventCounts): number {
  return log[EVENTS] ?? 0;
}
