//! Evaluates the ladder for one case: which rungs apply and in what order, each rung's status and
//! reasons, the clocks, and the next action. Pure: the same facts and `today` give the same view.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::clocks::{ClockKind, ClockRule, ClockRules};
use super::directory::{Directory, Recipient, RecipientKind, RecipientStatus};
use super::{
    ClockState, ClockView, ContactView, LadderView, NextAction, ReplyOutcome, Rung, RungStatus, StepKind,
    StepRecord,
};
use crate::case::Case;
use crate::knowledge::YesNoUnknown;
use crate::text::TextTable;
use crate::triage::Answer;

/// Everything the ladder reads.
pub struct LadderInputs<'a> {
    pub case: &'a Case,
    pub answers: &'a BTreeMap<String, Answer>,
    pub steps: &'a [StepRecord],
    /// Rungs the player skipped, with their reason.
    pub skips: &'a BTreeMap<String, String>,
    pub today: NaiveDate,
}

pub fn evaluate(
    directory: &Directory,
    clock_rules: &ClockRules,
    text: &TextTable,
    inputs: &LadderInputs<'_>,
) -> LadderView {
    let facts = Facts::read(inputs);
    let ladder = Ladder { directory, clock_rules, text, inputs, facts };
    let clocks = ladder.clocks();
    let mut notices = Vec::new();
    let mut rungs = ladder.candidate_rungs(&mut notices);
    ladder.set_statuses(&mut rungs, &clocks);
    for rung in &mut rungs {
        rung.clocks = clocks.iter().filter(|clock| clock.concerns == rung.kind).cloned().collect();
    }
    let next = ladder.next_action(&rungs, &clocks);
    let rules: Vec<ClockView> =
        clocks.iter().filter(|clock| clock.kind == ClockKind::Rule).cloned().collect();
    let mut dated: Vec<ClockView> = clocks.into_iter().filter(|clock| clock.date.is_some()).collect();
    dated.sort_by_key(|clock| clock.date);
    let milestones = clock_rules
        .milestones
        .iter()
        .map(|m| super::MilestoneView { id: m.id.clone(), label: text.get(&format!("milestone.{}", m.id)) })
        .collect();
    LadderView {
        case_id: inputs.case.id,
        today: inputs.today,
        rungs,
        next,
        notices,
        clocks: dated,
        rules,
        history: inputs.steps.to_vec(),
        milestones,
    }
}

/// The case's facts the rules ask about.
struct Facts {
    licence: Option<String>,
    country: Option<String>,
    deposit_method: Option<String>,
    reasons: Vec<String>,
    cybercrime: bool,
    incident: Option<NaiveDate>,
    deposit: Option<NaiveDate>,
    first_written_complaint: Option<NaiveDate>,
    operator_final_response: Option<NaiveDate>,
}

impl Facts {
    fn read(inputs: &LadderInputs<'_>) -> Facts {
        let date_answer = |id: &str| match inputs.answers.get(id) {
            Some(Answer::Date(date)) => Some(*date),
            _ => None,
        };
        let casino_steps = || inputs.steps.iter().filter(|step| step.recipient_id == CASINO);
        Facts {
            licence: inputs.case.casino.regulator.clone(),
            country: inputs.case.player_country.clone(),
            deposit_method: match inputs.answers.get("fu-deposit-method") {
                Some(Answer::Choice(method)) => Some(method.clone()),
                _ => None,
            },
            reasons: match inputs.answers.get("casino-reason") {
                Some(Answer::Choices(reasons)) => reasons.clone(),
                _ => Vec::new(),
            },
            cybercrime: matches!(inputs.answers.get("elig-cybercrime"), Some(Answer::Yes)),
            incident: date_answer("fu-withdrawal-date")
                .or_else(|| date_answer("deposit-date"))
                .or(inputs.case.key_dates.withdrawal_requested)
                .or(inputs.case.key_dates.first_deposit),
            deposit: date_answer("deposit-date").or(inputs.case.key_dates.first_deposit),
            first_written_complaint: casino_steps()
                .filter(|step| step.kind == StepKind::Sent && step.channel.is_some_and(|c| c.is_written()))
                .map(|step| step.on)
                .min(),
            operator_final_response: casino_steps()
                .filter(|step| {
                    step.kind == StepKind::Reply && step.outcome == Some(ReplyOutcome::FinalResponse)
                })
                .map(|step| step.on)
                .min(),
        }
    }

    fn holds(&self, condition: &str, case: &Case) -> bool {
        let Some((kind, value)) = condition.split_once(':') else {
            return false;
        };
        match kind {
            "licence" => self.licence.as_deref() == Some(value),
            "country" => self.country.as_deref() == Some(value),
            "payment" => self.deposit_method.as_deref().is_some_and(|method| payment_matches(method, value)),
            "category" => case.category.as_str() == value,
            "reason" => self.reasons.iter().any(|reason| reason == value),
            _ => false,
        }
    }
}

/// A card deposit matches visa, mastercard and card conditions alike: which network is not asked.
fn payment_matches(method: &str, condition: &str) -> bool {
    method == condition || (method == "card" && matches!(condition, "visa" | "mastercard"))
}

const CASINO: &str = "casino-support";

struct Ladder<'a> {
    directory: &'a Directory,
    clock_rules: &'a ClockRules,
    text: &'a TextTable,
    inputs: &'a LadderInputs<'a>,
    facts: Facts,
}

impl Ladder<'_> {
    fn say(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut sentence = self.text.get(&format!("ladder.{key}"));
        for (name, value) in values {
            sentence = sentence.replace(&format!("{{{name}}}"), value);
        }
        sentence
    }

    fn applies(&self, clock: &ClockRule) -> bool {
        let any = |conditions: &[String]| {
            conditions.is_empty() || conditions.iter().any(|c| self.facts.holds(c, self.inputs.case))
        };
        any(&clock.when) && any(&clock.also_when)
    }

    fn event_date(&self, start: &str) -> Option<NaiveDate> {
        let steps = self.inputs.steps;
        let kind_of = |step: &StepRecord| self.directory.get(&step.recipient_id).map(|r| r.kind);
        let latest = |wanted: StepKind, kind: &str| {
            steps
                .iter()
                .filter(|step| step.kind == wanted && kind_of(step).is_some_and(|k| k.as_str() == kind))
                .map(|step| step.on)
                .max()
        };
        match start {
            "incident" => self.facts.incident,
            "deposit" => self.facts.deposit,
            "first-written-complaint" => self.facts.first_written_complaint,
            "operator-final-response" => self.facts.operator_final_response,
            _ => {
                if let Some(kind) = start.strip_prefix("last-sent:") {
                    return latest(StepKind::Sent, kind);
                }
                if let Some(kind) = start.strip_prefix("last-reply:") {
                    return latest(StepKind::Reply, kind);
                }
                let milestone = start.strip_prefix("milestone:")?;
                steps
                    .iter()
                    .filter(|step| {
                        step.kind == StepKind::Milestone && step.milestone.as_deref() == Some(milestone)
                    })
                    .map(|step| step.on)
                    .max()
            }
        }
    }

    fn stopped_early(&self, clock: &ClockRule) -> bool {
        clock.stops_when.iter().any(|stop| match stop.as_str() {
            "deadlock" => self.facts.operator_final_response.is_some(),
            other => self.event_date(other).is_some(),
        })
    }

    fn clocks(&self) -> Vec<ClockView> {
        self.clock_rules
            .clocks
            .iter()
            .filter(|clock| self.applies(clock))
            .map(|clock| {
                let date = clock
                    .starts
                    .as_deref()
                    .and_then(|start| self.event_date(start))
                    .and_then(|start| clock.length.after(start));
                let today = self.inputs.today;
                let state = match (clock.kind, date) {
                    (ClockKind::Rule, _) | (_, None) => ClockState::NotStarted,
                    (ClockKind::Earliest, Some(_)) if self.stopped_early(clock) => ClockState::EndedEarly,
                    // The waiting date is the first day allowed; a deadline's date is the last day.
                    (ClockKind::Earliest, Some(date)) if date <= today => ClockState::Passed,
                    (_, Some(date)) if date < today => ClockState::Passed,
                    (_, Some(_)) => ClockState::Running,
                };
                ClockView {
                    id: clock.id.clone(),
                    kind: clock.kind,
                    concerns: RecipientKind::from_name(&clock.concerns)
                        .unwrap_or(RecipientKind::CasinoSupport),
                    title: self.text.get(&format!("clock.{}.title", clock.id)),
                    explain: self.text.get(&format!("clock.{}.explain", clock.id)),
                    state,
                    days_left: date.map(|date| (date - self.inputs.today).num_days()),
                    date,
                    rule: clock.rule,
                    source: clock.source.clone(),
                }
            })
            .collect()
    }

    fn rung(&self, recipient: &Recipient, why: Vec<String>) -> Rung {
        let id = &recipient.id;
        // The casino's own rung carries its name: "Lucky Lagoon has not answered" reads better.
        let name = if id == CASINO { self.inputs.case.casino.name.clone() } else { recipient.name.clone() };
        Rung {
            recipient_id: id.clone(),
            name,
            kind: recipient.kind,
            status: RungStatus::Ready,
            optional: recipient.kind == RecipientKind::Regulator
                && recipient.decides_disputes == YesNoUnknown::No,
            why,
            next_action: None,
            blocked_until: None,
            summary: self.text.get(&format!("recipient.{id}.summary")),
            how_to: self.text.get(&format!("recipient.{id}.how_to")),
            notes: self.text.list(&format!("recipient.{id}.notes")),
            requires: recipient
                .requires
                .iter()
                .map(|r| self.text.get(&format!("prerequisite.{r}")))
                .collect(),
            contacts: recipient
                .submit
                .iter()
                .map(|channel| ContactView {
                    channel: channel.channel,
                    value: channel
                        .url
                        .clone()
                        .or(channel.address.clone())
                        .or(channel.number.clone())
                        .unwrap_or_default(),
                    is_url: channel.url.is_some(),
                    source: channel.source.clone(),
                })
                .collect(),
            clocks: Vec::new(),
            history: self.inputs.steps.iter().filter(|step| &step.recipient_id == id).cloned().collect(),
            skip_reason: None,
            source: recipient.source.clone(),
        }
    }

    fn covers(&self, recipient: &Recipient, prefix: &str) -> bool {
        recipient.covers.iter().any(|cover| {
            cover.strip_prefix(prefix).is_some_and(|value| match prefix {
                "licence:" => self.facts.licence.as_deref() == Some(value),
                "country:" => self.facts.country.as_deref() == Some(value),
                "payment:" => self.facts.deposit_method.as_deref().is_some_and(|m| payment_matches(m, value)),
                _ => false,
            })
        })
    }

    /// The ADR body the casino's terms name, matched on the body's id or name.
    fn named_adr(&self) -> Option<&Recipient> {
        let named = self.inputs.case.casino.named_adr.as_deref()?.to_lowercase();
        self.directory.recipients.iter().filter(|r| r.kind == RecipientKind::Adr).find(|recipient| {
            let name = recipient.name.to_lowercase();
            let short = name.split(['(', ')']).nth(1).unwrap_or("").trim().to_owned();
            named.contains(&recipient.id.replace('-', " "))
                || named.contains(&recipient.id)
                || named.contains(&name)
                || (!short.is_empty() && named.contains(&short))
        })
    }

    /// The rungs in ladder order: police (for crimes), casino, regulator, ADR bodies, portals,
    /// payment routes, legal.
    fn candidate_rungs(&self, notices: &mut Vec<String>) -> Vec<Rung> {
        let mut rungs = Vec::new();
        let add = |rungs: &mut Vec<Rung>, recipient: Option<&Recipient>, why: Vec<String>| {
            if let Some(recipient) = recipient
                && !rungs.iter().any(|r: &Rung| r.recipient_id == recipient.id)
            {
                rungs.push(self.rung(recipient, why));
            }
        };
        if self.facts.cybercrime {
            add(&mut rungs, self.directory.get("police-fraud"), vec![self.say("why.police-first", &[])]);
        }
        add(&mut rungs, self.directory.get(CASINO), vec![self.say("why.casino-first", &[])]);

        match &self.facts.licence {
            None => notices.push(self.say("notice.licence-unknown", &[])),
            Some(licence) => {
                for regulator in self.directory.recipients.iter().filter(|r| {
                    r.kind == RecipientKind::Regulator && r.regulator_id.as_deref() == Some(licence.as_str())
                }) {
                    let mut why = vec![self.say("why.licensed-by", &[("name", &regulator.name)])];
                    if regulator.decides_disputes == YesNoUnknown::No {
                        why.push(self.say("why.regulator-does-not-decide", &[("name", &regulator.name)]));
                    }
                    add(&mut rungs, Some(regulator), why);
                }
            }
        }

        let named = self.named_adr();
        match (named, &self.inputs.case.casino.named_adr) {
            (Some(named), _) => add(&mut rungs, Some(named), vec![self.say("why.named-adr", &[])]),
            (None, Some(_)) => notices.push(self.say("notice.named-adr-not-in-directory", &[])),
            (None, None) => notices.push(self.say("notice.named-adr-unknown", &[])),
        }
        for adr in self.directory.recipients.iter().filter(|r| r.kind == RecipientKind::Adr) {
            let by_licence = self.covers(adr, "licence:");
            let by_country = self.covers(adr, "country:");
            if !(by_licence || by_country) || named.is_some_and(|n| n.id == adr.id) {
                continue;
            }
            let only_if_named = adr.covers.iter().any(|c| c == "named-by-operator");
            let why = if only_if_named && named.is_some() {
                continue;
            } else if only_if_named {
                vec![self.say("why.adr-candidate", &[])]
            } else {
                vec![self.say("why.adr-for-licence", &[])]
            };
            add(&mut rungs, Some(adr), why);
        }
        for portal in self.directory.recipients.iter().filter(|r| r.kind == RecipientKind::Portal) {
            // A review site that settles nothing (Trustpilot) stays in the directory, off the ladder.
            if portal.covers.iter().any(|c| c == "any") && portal.decides_disputes != YesNoUnknown::No {
                add(&mut rungs, Some(portal), vec![self.say("why.portal", &[])]);
            }
        }

        match &self.facts.deposit_method {
            None => notices.push(self.say("notice.deposit-method-unknown", &[])),
            Some(_) => {
                for payment in self.directory.recipients.iter().filter(|r| r.kind == RecipientKind::Payment) {
                    if self.covers(payment, "payment:") {
                        add(&mut rungs, Some(payment), vec![self.say("why.deposit-route", &[])]);
                    }
                }
            }
        }
        for legal in self.directory.recipients.iter().filter(|r| r.kind == RecipientKind::Legal) {
            if legal.covers.iter().any(|c| c == "any") || self.covers(legal, "country:") {
                add(&mut rungs, Some(legal), vec![self.say("why.legal", &[])]);
            }
        }
        rungs.sort_by_key(|rung| rung.kind);
        rungs
    }

    fn set_statuses(&self, rungs: &mut [Rung], clocks: &[ClockView]) {
        // Statuses that come from the record alone, first: later checks look at other rungs.
        for rung in rungs.iter_mut() {
            let recipient = self.directory.get(&rung.recipient_id);
            if let Some(reason) = self.inputs.skips.get(&rung.recipient_id) {
                rung.status = RungStatus::Skipped;
                rung.skip_reason = Some(reason.clone());
                continue;
            }
            if let Some(reason) = recipient.and_then(|r| self.not_applicable(r)) {
                rung.status = RungStatus::NotApplicable;
                rung.why.push(reason);
                continue;
            }
            rung.status = status_from_history(&rung.history);
        }
        let busy_forum = rungs
            .iter()
            .find(|r| {
                matches!(r.kind, RecipientKind::Adr | RecipientKind::Portal)
                    && matches!(r.status, RungStatus::AwaitingReply | RungStatus::Replied)
            })
            .map(|r| r.name.clone());
        let still_open = |kinds: &[RecipientKind]| {
            rungs.iter().any(|r| {
                kinds.contains(&r.kind)
                    && matches!(
                        r.status,
                        RungStatus::Ready
                            | RungStatus::NotStarted
                            | RungStatus::AwaitingReply
                            | RungStatus::Replied
                    )
            })
        };
        let earlier_routes = EarlierRoutes {
            forum: still_open(&[RecipientKind::Adr, RecipientKind::Portal]),
            forum_or_payment: still_open(&[
                RecipientKind::Adr,
                RecipientKind::Portal,
                RecipientKind::Payment,
            ]),
        };
        for rung in rungs.iter_mut().filter(|r| r.status == RungStatus::Ready) {
            self.hold_back(rung, clocks, busy_forum.as_deref(), earlier_routes);
        }
        for rung in rungs.iter_mut() {
            rung.next_action = self.rung_action(rung);
        }
    }

    fn not_applicable(&self, recipient: &Recipient) -> Option<String> {
        if recipient.status == RecipientStatus::Defunct {
            let since = recipient
                .defunct_since
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map_or_else(String::new, |d| self.text.date(d));
            return Some(self.say("why.defunct", &[("name", &recipient.name), ("date", &since)]));
        }
        let method = self.facts.deposit_method.as_deref()?;
        (recipient.kind == RecipientKind::Payment && matches!(method, "crypto" | "bank-transfer"))
            .then(|| self.say("why.no-chargeback", &[]))
    }

    /// Holds a ready rung back for the written-complaint rule, its waiting clocks, one forum at a
    /// time, and the chargeback-last rule.
    fn hold_back(
        &self,
        rung: &mut Rung,
        clocks: &[ClockView],
        busy_forum: Option<&str>,
        earlier: EarlierRoutes,
    ) {
        let kind = rung.kind;
        if !matches!(kind, RecipientKind::CasinoSupport | RecipientKind::Police)
            && self.facts.first_written_complaint.is_none()
        {
            rung.status = RungStatus::NotStarted;
            rung.why.push(self.say("why.written-first", &[]));
            return;
        }
        let gated_until = clocks
            .iter()
            .filter(|clock| clock.kind == ClockKind::Earliest && clock.state == ClockState::Running)
            .filter(|clock| {
                self.clock_rules.clocks.iter().any(|rule| {
                    rule.id == clock.id && rule.gates.split_whitespace().any(|g| g == kind.as_str())
                })
            })
            .filter_map(|clock| clock.date.map(|date| (date, clock.title.clone())))
            .max();
        if let Some((date, title)) = gated_until {
            rung.status = RungStatus::NotStarted;
            rung.blocked_until = Some(date);
            rung.why.push(self.say("why.wait-until", &[("rule", &title), ("date", &self.text.date(date))]));
            return;
        }
        if matches!(kind, RecipientKind::Adr | RecipientKind::Portal)
            && let Some(busy) = busy_forum
        {
            rung.status = RungStatus::NotStarted;
            rung.why.push(self.say("why.one-forum", &[("name", busy)]));
            return;
        }
        if kind == RecipientKind::Payment {
            rung.why.push(self.say("why.chargeback-warning", &[]));
            if earlier.forum {
                rung.status = RungStatus::NotStarted;
                rung.why.push(self.say("why.chargeback-last", &[]));
            }
        }
        if kind == RecipientKind::Legal && earlier.forum_or_payment {
            rung.status = RungStatus::NotStarted;
            rung.why.push(self.say("why.legal-last", &[]));
        }
    }

    fn rung_action(&self, rung: &Rung) -> Option<String> {
        let name = rung.name.as_str();
        match rung.status {
            RungStatus::Ready => Some(self.say("action.send", &[("name", name)])),
            RungStatus::AwaitingReply => Some(self.say("action.wait", &[("name", name)])),
            RungStatus::Replied => Some(self.say("action.answer", &[("name", name)])),
            RungStatus::NotStarted => rung
                .blocked_until
                .map(|date| self.say("action.from-date", &[("name", name), ("date", &self.text.date(date))])),
            _ => None,
        }
    }

    /// The single next thing to do: a reply that is overdue, else the first ready rung of the
    /// main route, else a running wait, else the soonest blocked rung.
    fn next_action(&self, rungs: &[Rung], clocks: &[ClockView]) -> Option<NextAction> {
        let today = self.inputs.today;
        let reply_due = |rung: &Rung| {
            clocks
                .iter()
                .filter(|c| {
                    c.kind == ClockKind::ReplyDue
                        && c.concerns == rung.kind
                        && c.state != ClockState::NotStarted
                })
                .filter_map(|c| c.date)
                .max()
        };
        let overdue = rungs
            .iter()
            .filter(|r| r.status == RungStatus::AwaitingReply)
            .find_map(|rung| reply_due(rung).filter(|due| *due < today).map(|due| (rung, due)));
        let action = |rung: &Rung, text: String, due: Option<NaiveDate>, overdue: bool| NextAction {
            recipient_id: Some(rung.recipient_id.clone()),
            text,
            days_left: due.map(|due| (due - today).num_days()),
            due,
            overdue,
        };
        if let Some(rung) = rungs.iter().find(|r| r.status == RungStatus::Ready && !r.optional) {
            let deadline = clocks
                .iter()
                .filter(|c| {
                    c.kind == ClockKind::Deadline && c.concerns == rung.kind && c.state == ClockState::Running
                })
                .filter_map(|c| c.date)
                .min();
            let text = match overdue {
                Some((silent, since)) => self.say(
                    "action.move-on",
                    &[("from", &silent.name), ("date", &self.text.date(since)), ("name", &rung.name)],
                ),
                None => rung.next_action.clone().unwrap_or_default(),
            };
            return Some(action(rung, text, deadline.or(Some(today)), false));
        }
        if let Some((rung, due)) = overdue {
            let text = self.say("action.remind", &[("name", &rung.name), ("date", &self.text.date(due))]);
            return Some(action(rung, text, Some(due), true));
        }
        if let Some(rung) =
            rungs.iter().find(|r| matches!(r.status, RungStatus::AwaitingReply | RungStatus::Replied))
        {
            return Some(action(rung, rung.next_action.clone().unwrap_or_default(), reply_due(rung), false));
        }
        rungs
            .iter()
            .filter(|r| r.blocked_until.is_some())
            .min_by_key(|r| r.blocked_until)
            .map(|rung| action(rung, rung.next_action.clone().unwrap_or_default(), rung.blocked_until, false))
    }
}

/// Whether routes that come before a rung are still in play (open, waiting or under way).
#[derive(Clone, Copy)]
struct EarlierRoutes {
    forum: bool,
    forum_or_payment: bool,
}

fn status_from_history(history: &[StepRecord]) -> RungStatus {
    let last_sent = history.iter().filter(|s| s.kind == StepKind::Sent).map(|s| (s.on, s.id)).max();
    let last_reply = history.iter().filter(|s| s.kind == StepKind::Reply).max_by_key(|s| (s.on, s.id));
    match (last_sent, last_reply) {
        (None, None) => RungStatus::Ready,
        (_, Some(reply)) if reply.outcome.is_some_and(ReplyOutcome::ends_the_rung) => RungStatus::Closed,
        (Some(sent), Some(reply)) if (reply.on, reply.id) > sent => RungStatus::Replied,
        (None, Some(_)) => RungStatus::Replied,
        (Some(_), _) => RungStatus::AwaitingReply,
    }
}
