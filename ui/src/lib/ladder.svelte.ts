// Helpers of the escalation ladder screens: relative dates ("in 3 days", "2 days overdue"), the
// labels of the ladder's enums, and how sources and rules are written. Domain sentences (why, next
// action, clock titles) come translated from the backend and are shown as they are.

import type { Channel } from "../bindings/Channel";
import type { ClockView } from "../bindings/ClockView";
import type { ContactChannel } from "../bindings/ContactChannel";
import type { ReplyOutcome } from "../bindings/ReplyOutcome";
import type { RungStatus } from "../bindings/RungStatus";
import type { StepRecord } from "../bindings/StepRecord";
import type { IconName } from "../components/Icon.svelte";
import { ladderApi } from "./api";
import { formatDate } from "./format";
import { i18n, t, tryT } from "./i18n/index.svelte";

export const CHANNELS: readonly Channel[] = [
  "email",
  "live_chat",
  "form",
  "post",
  "portal",
  "phone",
  "in_person",
];

export const REPLY_OUTCOMES: readonly ReplyOutcome[] = [
  "acknowledged",
  "asked_for_more",
  "final_response",
  "refused",
  "paid",
  "partly_paid",
  "other",
];

/** The milestones the backend accepts (knowledge/clocks.toml); labels live in en.json. */
export const MILESTONES = [
  "operator-extension-notice",
  "reminder-sent",
  "refund-acknowledgement",
  "card-statement",
] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function utcDay(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number | undefined {
  const a = utcDay(from);
  const b = utcDay(to);
  if (a === undefined || b === undefined) return undefined;
  return Math.round((b - a) / DAY_MS);
}

/** This computer's calendar date, YYYY-MM-DD. */
export function localToday(): string {
  // en-CA writes dates as YYYY-MM-DD; the date is this computer's, in its time zone.
  return new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(Date.now());
}

/**
 * "today", "tomorrow", "in 3 days", "2 days overdue" (when `overdue`) or "2 days ago", for a day
 * count from today.
 */
export function relativeDays(days: number, overdue = false): string {
  if (days === 0) return t("when.today");
  if (days > 0) return days === 1 ? t("when.tomorrow") : t("when.in_days", { count: days });
  const ago = -days;
  if (overdue) return t("when.days_overdue", { count: ago });
  return ago === 1 ? t("when.yesterday") : t("when.days_ago", { count: ago });
}

/** The relative phrase for `date` seen from `today`, or "" when either is not a date. */
export function relativeTo(date: string, today: string, overdue = false): string {
  const days = daysBetween(today, date);
  return days === undefined ? "" : relativeDays(days, overdue);
}

/** "27 April 2026 (in 3 days)". */
export function dateWithRelative(date: string, today: string, overdue = false): string {
  const relative = relativeTo(date, today, overdue);
  return relative
    ? t("when.date_relative", { date: formatDate(date), relative })
    : formatDate(date);
}

// "Today" as the backend sees it (in the case's time zone, and honouring CASEFILE_NOW in debug
// builds). Every ladder view carries it; screens without one (home) learn it from one case.
const clock = $state<{ today: string | null }>({ today: null });

export const backendDay = {
  /** The backend's today when known, else this computer's. */
  get today(): string {
    return clock.today ?? localToday();
  },
  /** Whether `today` came from the backend (screens wait for it before saying "in 3 days"). */
  get known(): boolean {
    return clock.today !== null;
  },
  note(today: string): void {
    clock.today = today;
  },
};

/** Asks the backend for today's date through one case's ladder (a no-op on failure). */
export async function learnToday(caseId: number): Promise<void> {
  try {
    const view = await ladderApi.ladderView(caseId, i18n.locale);
    backendDay.note(view.today);
  } catch {
    // This computer's date stands in.
  }
}

/** "Source document 002" for the project's own documents, the address as text otherwise. */
export function sourceText(source: string): string {
  const doc = /^doc-(\d+)$/.exec(source.trim());
  return doc ? t("ladder.source_document", { number: doc[1] }) : source;
}

/** "domain-facts §6 rule 4", or "document 002" for rule 0. */
export function ruleText(rule: number): string {
  return rule === 0 ? t("clock.rule_document") : t("clock.rule_number", { rule });
}

/** A contact or directory value the research did not find. */
export function isUnknown(value: string | null | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  return v === "" || v === "unknown";
}

export function channelName(channel: Channel): string {
  return t(`step.channel_names.${channel}`);
}

export function milestoneName(id: string): string {
  return tryT(`step.milestone_names.${id}`) ?? id;
}

/** One line saying what a recorded step was: "Sent by email", "Reply: They refused", … */
export function stepLine(step: StepRecord): string {
  if (step.kind === "sent") {
    return step.channel
      ? t("step.line.sent", { how: t(`step.channel_how.${step.channel}`) })
      : t("step.line.sent_unknown");
  }
  if (step.kind === "reply") {
    const outcome = step.outcome ? t(`step.outcome_${step.outcome}`) : t("step.channel_unknown");
    return step.channel
      ? t("step.line.reply_by", { how: t(`step.channel_how.${step.channel}`), outcome })
      : t("step.line.reply", { outcome });
  }
  return t("step.line.milestone", { milestone: milestoneName(step.milestone ?? "") });
}

/** Clocks with a date first, soonest first; undated ones after, in the order given. */
export function byDate(clocks: readonly ClockView[]): ClockView[] {
  return clocks
    .map((clock, index) => ({ clock, index }))
    .sort((a, b) => {
      const da = a.clock.date;
      const db = b.clock.date;
      if (da && db && da !== db) return da < db ? -1 : 1;
      if (da && !db) return -1;
      if (!da && db) return 1;
      return a.index - b.index;
    })
    .map(({ clock }) => clock);
}

export const STATUS_ICON: Record<RungStatus, IconName> = {
  not_started: "waiting",
  ready: "ready",
  awaiting_reply: "awaiting",
  replied: "replied",
  closed: "closed",
  skipped: "skipped",
  not_applicable: "not-applicable",
};

export const CHANNEL_ICON: Record<Channel | ContactChannel, IconName> = {
  live_chat: "chat",
  email: "email",
  phone: "phone",
  form: "form",
  post: "post",
  portal: "portal",
  in_person: "person",
};

/** A contact channel's name ("Email", "Online form", …). */
export function contactChannelName(channel: ContactChannel): string {
  return t(`step.channel_names.${channel}`);
}
