// DEV ONLY: an in-memory stand-in for the Rust backend, so the screens can be looked at in a plain
// browser (`npm run dev`, then open http://localhost:1420/). `api.ts` imports it only when
// `import.meta.env.DEV` is true and no Tauri window is around, so it never reaches `vite build`.
//
// Seed with the query string: `?seed=cases` (three cases), `?seed=empty` (first launch, default),
// `?seed=declined` (no cases, demo declined). It mimics the backend's shapes and main rules only:
// the real rules live in `casefile-core`.

import type { ApiError } from "../../bindings/ApiError";
import type { Case } from "../../bindings/Case";
import type { CaseField } from "../../bindings/CaseField";
import type { CaseInput } from "../../bindings/CaseInput";
import type { CaseSummary } from "../../bindings/CaseSummary";
import type { Currency } from "../../bindings/Currency";
import type { FieldError } from "../../bindings/FieldError";
import type { FieldProblem } from "../../bindings/FieldProblem";
import type { Regulator } from "../../bindings/Regulator";
import type { Answer } from "../../bindings/Answer";
import type { AnswerInput } from "../../bindings/AnswerInput";
import type { IdeaView } from "../../bindings/IdeaView";
import type { QuestionView } from "../../bindings/QuestionView";
import type { SourceView } from "../../bindings/SourceView";
import type { TriagePhase } from "../../bindings/TriagePhase";
import type { TriageStep } from "../../bindings/TriageStep";
import type { TriageView } from "../../bindings/TriageView";
import type { UnderstoodAmount } from "../../bindings/UnderstoodAmount";

const currencies: Currency[] = [
  { code: "EUR", name: "Euro", minor_digits: 2 },
  { code: "GBP", name: "Pound sterling", minor_digits: 2 },
  { code: "USD", name: "US dollar", minor_digits: 2 },
  { code: "CAD", name: "Canadian dollar", minor_digits: 2 },
  { code: "SEK", name: "Swedish krona", minor_digits: 2 },
  { code: "JPY", name: "Yen", minor_digits: 0 },
  { code: "BGN", name: "Bulgarian lev", minor_digits: 2 },
];

const regulator = (id: string, name: string, jurisdiction: string): Regulator => ({
  id,
  name,
  jurisdiction,
  decides_disputes: "unknown",
  source: "https://example.invalid/",
  confidence: "M",
});

const regulators: Regulator[] = [
  regulator("ukgc", "UK Gambling Commission", "Great Britain"),
  regulator("mga", "Malta Gaming Authority", "Malta"),
  regulator("curacao-cga", "Curaçao Gaming Authority (LOK licence)", "Curaçao"),
  regulator("kahnawake", "Kahnawà:ke Gaming Commission", "Kahnawà:ke"),
];

const params = new URLSearchParams(location.search);
const seed = params.get("seed") ?? "empty";

let nextId = 1;
let demoOffered = seed === "declined";
const cases = new Map<number, Case>();

function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return d.toISOString().slice(0, 10);
}

function demoInput(): CaseInput {
  return {
    title: "Withdrawal of €2,350 pending for three weeks",
    casino_name: "Lucky Lagoon Casino (demo)",
    casino_website: "luckylagoon.example",
    licensee: "Lagoon Digital N.V. (fictional)",
    regulator: "curacao-cga",
    licence_number: "DEMO-0000",
    named_adr: "",
    account_id: "player-48213",
    player_country: "DE",
    player_time_zone: "Europe/Berlin",
    amount: "2350.00",
    currency: "EUR",
    category: "withdrawal",
    account_opened: daysAgo(120),
    first_deposit: daysAgo(118),
    withdrawal_requested: daysAgo(21),
    description:
      "I requested a withdrawal of €2,350 by bank transfer. The casino first said it would take 3–5 business days. After a week support asked for a new proof of address, which I sent the same day. Since then live chat only says the payment is “with the finance team”.",
  };
}

function fail(code: ApiError["code"], message: string, fields: FieldError[] = []): never {
  throw { code, message, fields } satisfies ApiError;
}

function problem(
  field: CaseField,
  kind: FieldProblem,
  message: string,
  extra: Record<string, string> = {},
): FieldError {
  return { field, problem: kind, message, params: extra };
}

function parseAmount(text: string, code: string): UnderstoodAmount | FieldError {
  const currency = currencies.find((c) => c.code === code.trim().toUpperCase());
  if (!code.trim()) return problem("currency", "required", "Currency: choose the currency.");
  if (!currency)
    return problem("currency", "currency_unknown", "Currency: unknown.", { input: code });
  const trimmed = text.trim();
  if (!trimmed) return problem("amount", "required", "Amount: type the amount in dispute.");
  const compact = trimmed.replace(/[\s'’]/g, "");
  if (!/^[\d.,]+$/.test(compact))
    return problem("amount", "amount_unreadable", `Amount: "${trimmed}" is not a number.`, {
      input: trimmed,
    });
  const last = Math.max(compact.lastIndexOf("."), compact.lastIndexOf(","));
  let whole = compact;
  let fraction = "";
  if (last >= 0 && compact.length - last - 1 !== 3) {
    whole = compact.slice(0, last);
    fraction = compact.slice(last + 1);
  }
  whole = whole.replace(/[.,]/g, "");
  if (fraction.length > currency.minor_digits)
    return problem("amount", "amount_too_many_decimals", "Amount: too many decimals.", {
      input: trimmed,
      currency: currency.code,
      max: String(currency.minor_digits),
    });
  const minor =
    Number(whole || "0") * 10 ** currency.minor_digits +
    Number(fraction.padEnd(currency.minor_digits, "0") || "0");
  if (minor === 0)
    return problem("amount", "amount_not_positive", "Amount: must be more than zero.");
  const plain = (minor / 10 ** currency.minor_digits).toFixed(currency.minor_digits);
  return {
    money: { minor_units: minor, currency: currency.code },
    display: `${currency.code} ${plain}`,
    plain,
  };
}

function validate(input: CaseInput, today = new Date().toISOString().slice(0, 10)) {
  const problems: FieldError[] = [];
  const required = (field: CaseField, value: string) => {
    if (!value.trim()) problems.push(problem(field, "required", `${field}: this is required.`));
  };
  required("title", input.title);
  required("casino_name", input.casino_name);
  if (input.casino_website.trim() && !/^\S+\.\S+$/.test(input.casino_website.trim()))
    problems.push(
      problem("casino_website", "website_unreadable", "Website: not an address.", {
        input: input.casino_website.trim(),
      }),
    );
  if (input.player_country.trim() && !/^[A-Za-z]{2}$/.test(input.player_country.trim()))
    problems.push(
      problem("player_country", "country_unreadable", "Country: two letters.", {
        input: input.player_country.trim(),
      }),
    );
  const amount = parseAmount(input.amount, input.currency);
  if ("field" in amount) problems.push(amount);
  if (!input.category)
    problems.push(problem("category", "required", "Problem: choose deposit, withdrawal, …"));
  for (const field of ["account_opened", "first_deposit", "withdrawal_requested"] as const) {
    const value = input[field];
    if (value && value > today)
      problems.push(
        problem(field, "date_in_future", `${field}: ${value} is in the future.`, { input: value }),
      );
  }
  for (const field of ["first_deposit", "withdrawal_requested"] as const) {
    if (input.account_opened && input[field] && input[field] < input.account_opened)
      problems.push(
        problem(field, "date_before_account_opened", `${field}: before account opened.`, {
          opened: input.account_opened,
        }),
      );
  }
  if (problems.length > 0) fail("invalid_input", problems[0].message, problems);
  return amount as UnderstoodAmount;
}

function store(input: CaseInput, existing: Case | undefined, isDemo: boolean): Case {
  const understood = validate(input);
  const now = new Date().toISOString();
  const orNull = (value: string) => (value.trim() ? value.trim() : null);
  const id = existing?.id ?? nextId++;
  const stored: Case = {
    id,
    title: input.title.trim(),
    casino: {
      name: input.casino_name.trim(),
      website: orNull(input.casino_website),
      licensee: orNull(input.licensee),
      regulator: orNull(input.regulator),
      licence_number: orNull(input.licence_number),
      named_adr: orNull(input.named_adr),
    },
    account_id: orNull(input.account_id),
    player_country: orNull(input.player_country.toUpperCase()),
    player_time_zone: orNull(input.player_time_zone),
    disputed: understood.money,
    category: input.category ?? "withdrawal",
    key_dates: {
      account_opened: orNull(input.account_opened),
      first_deposit: orNull(input.first_deposit),
      withdrawal_requested: orNull(input.withdrawal_requested),
    },
    description: input.description.trim(),
    is_demo: existing?.is_demo ?? isDemo,
    archived_at: existing?.archived_at ?? null,
    created_at: existing?.created_at ?? now,
    closure: existing?.closure ?? null,
    updated_at: now,
  };
  cases.set(id, stored);
  return stored;
}

function toInput(c: Case): CaseInput {
  return {
    title: c.title,
    casino_name: c.casino.name,
    casino_website: c.casino.website ?? "",
    licensee: c.casino.licensee ?? "",
    regulator: c.casino.regulator ?? "",
    licence_number: c.casino.licence_number ?? "",
    named_adr: c.casino.named_adr ?? "",
    account_id: c.account_id ?? "",
    player_country: c.player_country ?? "",
    player_time_zone: c.player_time_zone ?? "",
    amount: (c.disputed.minor_units / 100).toFixed(2),
    currency: c.disputed.currency,
    category: c.category,
    account_opened: c.key_dates.account_opened ?? "",
    first_deposit: c.key_dates.first_deposit ?? "",
    withdrawal_requested: c.key_dates.withdrawal_requested ?? "",
    description: c.description,
  };
}

function summary(c: Case): CaseSummary {
  return {
    id: c.id,
    title: c.title,
    casino_name: c.casino.name,
    disputed: c.disputed,
    category: c.category,
    stage: null,
    next_action_due: null,
    outcome: c.closure?.outcome ?? null,
    is_demo: c.is_demo,
    archived: c.archived_at !== null,
    updated_at: c.updated_at,
  };
}

function get(id: number): Case {
  const found = cases.get(id);
  if (!found) fail("not_found", `There is no case number ${id}.`);
  return found;
}

if (seed === "cases") {
  demoOffered = true;
  store(demoInput(), undefined, true);
  store(
    {
      ...demoInput(),
      title: "Account closed and balance confiscated after KYC",
      casino_name: "Nordic Spins",
      casino_website: "nordicspins.example",
      regulator: "mga",
      amount: "870",
      currency: "GBP",
      category: "account",
      description: "",
    },
    undefined,
    false,
  );
  const archived = store(
    {
      ...demoInput(),
      title: "Deposit of 12,000 JPY never credited",
      casino_name: "Sakura Slots",
      amount: "12000",
      currency: "JPY",
      category: "deposit",
    },
    undefined,
    false,
  );
  archived.archived_at = new Date().toISOString();
}

// ----- triage: a short, fixed path through a few questions (the real rules are in the core) -----

const source = (title: string, url = "unknown"): SourceView => ({ id: title, title, url });
const docSource = source("Casino Guru: how and why we resolve complaints against casinos");

const questions: QuestionView[] = [
  {
    id: "has-account",
    kind: "yes_no",
    text: "Do you have an account at this casino?",
    help: "",
    options: [],
    group: null,
    source: docSource,
  },
  {
    id: "withdrawal-status",
    kind: "choice",
    text: "What is happening with your withdrawal?",
    help: "",
    options: [
      { id: "pending", label: "It is still pending" },
      { id: "refused", label: "The casino refused to pay" },
    ],
    group: null,
    source: docSource,
  },
  {
    id: "casino-reason",
    kind: "multi_choice",
    text: "What reason has the casino given? Choose all that apply.",
    help: "Use the casino's own words where you can.",
    options: [
      { id: "none-given", label: "No reason, it is just delayed" },
      { id: "verification", label: "Verification, documents or source of funds" },
    ],
    group: null,
    source: docSource,
  },
  {
    id: "fu-withdrawal-date",
    kind: "date",
    text: "On what exact date did you request the withdrawal?",
    help: "The casino's transaction history shows it.",
    options: [],
    group: "A delayed payment",
    source: docSource,
  },
  {
    id: "fu-amount",
    kind: "amount",
    text: "How much did you ask to withdraw?",
    help: "",
    options: [],
    group: "A delayed payment",
    source: docSource,
  },
  {
    id: "elig-sports-betting",
    kind: "yes_no",
    text: "Is your problem about a sports bet (not a casino game)?",
    help: "",
    options: [],
    group: "Before you go on",
    source: docSource,
  },
  {
    id: "desc-what",
    kind: "text",
    text: "What happened? Describe it in order, in your own words.",
    help: "",
    options: [],
    group: "Before you go on",
    source: docSource,
  },
];

const pendingIdea: IdeaView = {
  id: "check-processing-time",
  title: "Check the processing time the casino promises",
  explanation:
    "Casinos state a processing time for each payment method. A delay beyond it is a point you can rely on.",
  actions: [
    "Find the stated processing time and save it.",
    "Ask support in writing when the payment will be made.",
  ],
  source: docSource,
};

const triageAnswers = new Map<number, Map<string, Answer>>();
const evidenceInHand = new Map<number, Set<string>>();

function answerText(question: QuestionView, answer: Answer): string {
  switch (answer.kind) {
    case "yes":
      return "Yes";
    case "no":
      return "No";
    case "choice":
      return question.options.find((o) => o.id === answer.value)?.label ?? answer.value;
    case "choices":
      return answer.value
        .map((v) => question.options.find((o) => o.id === v)?.label ?? v)
        .join("; ");
    case "amount":
      return `${answer.value.currency} ${(answer.value.minor_units / 100).toFixed(2)}`;
    default:
      return answer.value;
  }
}

function triageView({ caseId }: Record<string, unknown>): TriageView {
  const c = get(caseId as number);
  const answers = triageAnswers.get(c.id) ?? new Map<string, Answer>();
  const steps: TriageStep[] = [];
  let current: QuestionView | null = null;
  for (const question of questions) {
    const answer = answers.get(question.id);
    if (!answer) {
      current = question;
      break;
    }
    const ideas =
      question.id === "withdrawal-status" && answer.kind === "choice" && answer.value === "pending"
        ? [pendingIdea]
        : [];
    steps.push({
      question,
      answer,
      answer_text: answerText(question, answer),
      from_case: false,
      ideas,
    });
  }
  const phase: TriagePhase = !current
    ? "done"
    : current.group === null
      ? "category"
      : current.group === "Before you go on"
        ? "eligibility"
        : "follow_up";
  const sports = answers.get("elig-sports-betting")?.kind === "yes";
  const reason = answers.get("casino-reason");
  const verification = reason?.kind === "choices" && reason.value.includes("verification");
  const inHand = evidenceInHand.get(c.id) ?? new Set<string>();
  const facts = [
    { id: "casino", title: "The casino's name", present: true },
    { id: "amount", title: "The amount in dispute", present: true },
    { id: "account-id", title: "Your account id or username", present: c.account_id !== null },
    { id: "casino-reason", title: "The reason the casino gave", present: !!reason },
  ];
  return {
    case_id: c.id,
    phase,
    steps,
    current,
    ideas: steps.flatMap((s) => s.ideas),
    eligibility: sports
      ? [
          {
            id: "sports-betting",
            reason: 1,
            severity: "redirect",
            title: "This is about sports betting",
            consequence:
              "Complaint services that focus on casinos usually decline sports-betting disputes.",
            better_route: "Complain to the operator in writing first.",
            detail: null,
            related_cases: [],
            source: docSource,
          },
        ]
      : [],
    facts: steps.map((s) => ({
      question_id: s.question.id,
      label: s.question.text,
      value: s.answer_text,
    })),
    weak_points: verification
      ? [
          {
            id: "verification",
            title: "Verification, documents or source of funds",
            rule: "Identity should be checked before gambling.",
            evidence: ["documents-sent-receipts", "verification-request-date"].map((id) => ({
              id,
              title: id.replace(/-/g, " "),
              covered: inHand.has(id),
              covered_by: [],
            })),
            source: source(
              "Casino won't verify account (Clinton & Co)",
              "https://clintonandco.co.uk/articles/casino-wont-verify-account",
            ),
          },
        ]
      : [],
    completeness: {
      percent: Math.round((100 * facts.filter((f) => f.present).length) / facts.length),
      facts,
    },
    resolved_by_self_help: c.closure?.label === "resolved-without-casino",
  };
}

function answerTriage(args: Record<string, unknown>): TriageView {
  const c = get(args.caseId as number);
  const question = questions.find((q) => q.id === args.questionId);
  if (!question) fail("not_found", `There is no question ${String(args.questionId)}.`);
  const input = args.answer as AnswerInput;
  const refuse = (message: string): never => fail("invalid_input", `${question.id}: ${message}`);
  let answer: Answer;
  if (input.kind === "date") {
    if (input.value > new Date().toISOString().slice(0, 10))
      refuse(`${input.value} is in the future. Check the year and month.`);
    answer = input;
  } else if (input.kind === "amount") {
    const understood = parseAmount(input.value, c.disputed.currency);
    if ("field" in understood) refuse(understood.message);
    answer = { kind: "amount", value: (understood as UnderstoodAmount).money };
  } else {
    answer = input;
  }
  const answers = triageAnswers.get(c.id) ?? new Map<string, Answer>();
  answers.set(question.id, answer);
  triageAnswers.set(c.id, answers);
  return triageView({ caseId: c.id });
}

function closeCase(id: number, note: string): Case {
  const c = get(id);
  c.closure = {
    closed_at: new Date().toISOString(),
    outcome: "resolved",
    label: "resolved-without-casino",
    label_text: "Resolved without contacting the casino (self-help)",
    note: note.trim(),
    amount_recovered: null,
  };
  return c;
}

const commands: Record<string, (args: Record<string, unknown>) => unknown> = {
  list_cases: ({ includeArchived }) =>
    [...cases.values()]
      .filter((c) => includeArchived || c.archived_at === null)
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
      .map(summary),
  get_case: ({ id }) => get(id as number),
  get_case_input: ({ id }) => toInput(get(id as number)),
  create_case: ({ input }) => store(input as CaseInput, undefined, false),
  update_case: ({ id, input }) => store(input as CaseInput, get(id as number), false),
  set_case_archived: ({ id, archived }) => {
    const c = get(id as number);
    c.archived_at = archived ? new Date().toISOString() : null;
    return c;
  },
  delete_case: ({ id }) => {
    get(id as number);
    cases.delete(id as number);
    return null;
  },
  understand_amount: ({ amount, currency }) => {
    const result = parseAmount(amount as string, currency as string);
    if ("field" in result) fail("invalid_input", result.message, [result]);
    return result;
  },
  welcome: () => ({ offer_demo: cases.size === 0 && !demoOffered, case_count: cases.size }),
  create_demo_case: () => {
    demoOffered = true;
    return store(demoInput(), undefined, true);
  },
  decline_demo: () => {
    demoOffered = true;
    return null;
  },
  list_regulators: () => regulators,
  list_currencies: () => currencies,
  triage_view: triageView,
  answer_triage: answerTriage,
  forget_triage_answer: ({ caseId, questionId }) => {
    triageAnswers.get(caseId as number)?.delete(questionId as string);
    return triageView({ caseId });
  },
  set_evidence_in_hand: ({ caseId, evidenceId, inHand }) => {
    const held = evidenceInHand.get(caseId as number) ?? new Set<string>();
    if (inHand) held.add(evidenceId as string);
    else held.delete(evidenceId as string);
    evidenceInHand.set(caseId as number, held);
    return triageView({ caseId });
  },
  resolve_by_self_help: ({ caseId, note }) => closeCase(caseId as number, note as string),
  reopen_case: ({ caseId }) => {
    const c = get(caseId as number);
    c.closure = null;
    return c;
  },
  app_info: () => ({
    version: "0.1.0-dev",
    data_folder: "/home/you/.local/share/Casefile Dev",
    schema_version: 1,
  }),
};

export async function mockInvoke<T>(
  command: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, 60));
  const run = commands[command];
  if (!run) throw `command ${command} not found`;
  // A structured clone, as IPC would give: the UI must never share objects with the "backend".
  return structuredClone(run(args)) as T;
}
