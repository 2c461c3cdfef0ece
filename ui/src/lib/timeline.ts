// What the Timeline tab shows besides the generated types: the kinds a player can pick, and the
// events grouped by day.

import type { EventKind } from "../bindings/EventKind";
import type { EventSource } from "../bindings/EventSource";
import type { TimelineEvent } from "../bindings/TimelineEvent";
import type { IconName } from "../components/Icon.svelte";

/** The kinds of the player's own entries, in the form's order (the backend's PLAYER_KINDS). */
export const PLAYER_KINDS: readonly EventKind[] = [
  "deposit",
  "withdrawal_request",
  "documents_sent",
  "reply",
  "complaint",
  "account_action",
  "other",
];

/** The icon of each source (names of Icon.svelte). */
export const SOURCE_ICON: Record<EventSource, IconName> = {
  case: "document",
  ladder: "flag",
  locker: "paperclip",
  player: "person",
};

/** Events of the same day together, in the timeline's order. */
export function byDay(events: TimelineEvent[]): { date: string; events: TimelineEvent[] }[] {
  const days: { date: string; events: TimelineEvent[] }[] = [];
  for (const event of events) {
    const last = days.at(-1);
    if (last && last.date === event.date) last.events.push(event);
    else days.push({ date: event.date, events: [event] });
  }
  return days;
}
