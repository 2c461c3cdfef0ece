//! `casefile triage`: answer the triage questions in a terminal, or apply a JSON file of answers,
//! and print the ideas, eligibility findings, facts and weak points that follow.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;

use casefile_core::triage::{self, AnswerInput, AnswerKind, QuestionView, TriageView};
use casefile_core::{CoreError, Store};
use chrono::{DateTime, Utc};
use clap::Args;

use crate::output;

#[derive(Args)]
pub struct TriageArgs {
    /// The case id.
    case: i64,
    /// Apply the answers in this JSON file: {"question-id": "yes" | "2026-05-01" | "150.00" | "option-id" | ["a", "b"] | "text"}.
    #[arg(long, value_name = "FILE.json")]
    answers: Option<PathBuf>,
    /// Forget the answer to this question, so it is asked again.
    #[arg(long, value_name = "QUESTION-ID")]
    forget: Option<String>,
    /// Mark an evidence item of the weak-points check as in hand.
    #[arg(long, value_name = "EVIDENCE-ID")]
    have: Vec<String>,
    /// Mark an evidence item as not (or no longer) in hand.
    #[arg(long, value_name = "EVIDENCE-ID")]
    lack: Vec<String>,
    /// "This solved it": close the case as resolved without escalation.
    #[arg(long)]
    solved: bool,
    /// A note to keep with --solved.
    #[arg(long, requires = "solved", default_value = "")]
    note: String,
    /// Print the whole triage as JSON instead of text (never asks questions).
    #[arg(long)]
    pub json: bool,
}

const LANGUAGE: &str = "en";

pub fn run(args: TriageArgs, store: &mut Store, now: DateTime<Utc>) -> Result<(), CoreError> {
    let case_id = args.case;
    let mut view = triage::view(store, case_id, now, LANGUAGE)?;
    if let Some(path) = &args.answers {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CoreError::io(format!("Could not read {}", path.display()), e))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| CoreError::AnswersFile(format!("{} is not valid JSON ({e})", path.display())))?;
        let answers = triage::answers_from_json(triage::shipped_rules(), &json)?;
        view = triage::answer_all(store, case_id, answers, now, LANGUAGE)?;
    }
    if let Some(question) = &args.forget {
        store.clear_triage_answer(case_id, question)?;
        view = triage::view(store, case_id, now, LANGUAGE)?;
    }
    for (ids, checked) in [(&args.have, true), (&args.lack, false)] {
        for id in ids {
            store.set_evidence_checked(case_id, id, checked, now)?;
        }
    }
    if !args.have.is_empty() || !args.lack.is_empty() {
        view = triage::view(store, case_id, now, LANGUAGE)?;
    }
    if args.solved {
        triage::resolve_by_self_help(store, case_id, &args.note, now)?;
        eprintln!(
            "Case {case_id} is closed as resolved without escalation. `casefile case show {case_id}` shows it."
        );
        view = triage::view(store, case_id, now, LANGUAGE)?;
    }
    let changed_something = args.answers.is_some() || args.forget.is_some() || args.solved;
    let interactive = !args.json && !changed_something && io::stdin().is_terminal();
    if interactive {
        view = ask_until_done(store, case_id, view, now)?;
    }
    if args.json {
        output::print_json(&view);
    } else {
        print_view(&view);
    }
    Ok(())
}

/// Asks the current question until triage is done or the person types q. Each answer is saved at
/// once, so quitting loses nothing.
fn ask_until_done(
    store: &mut Store,
    case_id: i64,
    mut view: TriageView,
    now: DateTime<Utc>,
) -> Result<TriageView, CoreError> {
    eprintln!("Answer each question; each answer is saved at once. Type b to go back, q to stop.\n");
    while let Some(question) = view.current.clone() {
        print_question(&question);
        let Some(line) = read_line()? else { break };
        match line.trim() {
            "q" | "quit" => break,
            "b" | "back" => {
                if let Some(last) = view.steps.iter().rev().find(|step| !step.from_case) {
                    store.clear_triage_answer(case_id, &last.question.id)?;
                }
                view = triage::view(store, case_id, now, LANGUAGE)?;
                continue;
            }
            typed => match answer_from_text(&question, typed) {
                Some(input) => match triage::answer(store, case_id, &question.id, input, now, LANGUAGE) {
                    Ok(next) => {
                        print_new_ideas(&view, &next);
                        view = next;
                    }
                    Err(error) => eprintln!("  {error}\n"),
                },
                None => eprintln!("  {}\n", hint(&question)),
            },
        }
    }
    Ok(view)
}

fn read_line() -> Result<Option<String>, CoreError> {
    let _ = io::stderr().flush();
    let mut line = String::new();
    let read =
        io::stdin().lock().read_line(&mut line).map_err(|e| CoreError::io("Could not read the answer", e))?;
    Ok((read > 0).then_some(line))
}

fn print_question(question: &QuestionView) {
    if let Some(group) = &question.group {
        eprintln!("[{group}]");
    }
    eprintln!("{}", question.text);
    if !question.help.is_empty() {
        eprintln!("  ({})", question.help);
    }
    for (number, option) in question.options.iter().enumerate() {
        eprintln!("  {}. {}", number + 1, option.label);
    }
    eprint!("{} > ", hint(question));
}

fn hint(question: &QuestionView) -> &'static str {
    match question.kind {
        AnswerKind::YesNo => "y or n",
        AnswerKind::Date => "a date, YYYY-MM-DD",
        AnswerKind::Amount => "an amount, e.g. 150.00",
        AnswerKind::Choice => "the number of one option",
        AnswerKind::MultiChoice => "the numbers of all that apply, e.g. 1,3",
        AnswerKind::Text => "your answer",
    }
}

fn answer_from_text(question: &QuestionView, typed: &str) -> Option<AnswerInput> {
    let option = |number: &str| {
        let index: usize = number.trim().parse().ok()?;
        question.options.get(index.checked_sub(1)?).map(|o| o.id.clone())
    };
    match question.kind {
        AnswerKind::YesNo => match typed.to_ascii_lowercase().as_str() {
            "y" | "yes" => Some(AnswerInput::Yes),
            "n" | "no" => Some(AnswerInput::No),
            _ => None,
        },
        AnswerKind::Date => Some(AnswerInput::Date(typed.to_owned())),
        AnswerKind::Amount => Some(AnswerInput::Amount(typed.to_owned())),
        AnswerKind::Choice => option(typed).map(AnswerInput::Choice),
        AnswerKind::MultiChoice => typed
            .split([',', ' '])
            .filter(|p| !p.is_empty())
            .map(option)
            .collect::<Option<Vec<_>>>()
            .map(AnswerInput::Choices),
        AnswerKind::Text => (!typed.is_empty()).then(|| AnswerInput::Text(typed.to_owned())),
    }
}

fn print_new_ideas(before: &TriageView, after: &TriageView) {
    for idea in after.ideas.iter().filter(|idea| !before.ideas.iter().any(|b| b.id == idea.id)) {
        eprintln!("\n  Idea: {}\n  {}", idea.title, idea.explanation);
        for action in &idea.actions {
            eprintln!("    - {action}");
        }
    }
    eprintln!();
}

fn print_view(view: &TriageView) {
    println!("Triage of case {}", view.case_id);
    if view.resolved_by_self_help {
        println!("Closed: solved with the self-help ideas.");
    }
    println!("\nAnswers:");
    for (number, step) in view.steps.iter().enumerate() {
        let origin = if step.from_case { " (from the case details)" } else { "" };
        println!("  {:>2}. {}  {}{origin}", number + 1, step.question.text, step.answer_text);
    }
    if !view.ideas.is_empty() {
        println!("\nIdeas and possible solutions:");
        for idea in &view.ideas {
            println!("  * {} — {}", idea.title, idea.explanation);
            for action in &idea.actions {
                println!("      - {action}");
            }
        }
    }
    println!("\nEligibility:");
    if view.eligibility.is_empty() {
        println!("  Nothing found that stops this complaint.");
    }
    for finding in &view.eligibility {
        println!("  ! {}: {}", finding.title, finding.consequence);
        if let Some(detail) = &finding.detail {
            println!("    {detail}");
        }
        for related in &finding.related_cases {
            println!(
                "    Earlier case {}: {}{}",
                related.id,
                related.title,
                if related.archived { " (archived)" } else { "" }
            );
        }
        println!("    Better route: {}", finding.better_route);
    }
    if !view.weak_points.is_empty() {
        println!("\nWhat the casino is likely to rely on, and the evidence that answers it:");
        for point in &view.weak_points {
            println!("  {} — {}", point.title, point.rule);
            for item in &point.evidence {
                println!("    [{}] {} ({})", if item.covered { "x" } else { " " }, item.title, item.id);
            }
        }
    }
    let missing: Vec<&str> =
        view.completeness.facts.iter().filter(|f| !f.present).map(|f| f.title.as_str()).collect();
    println!("\nLetter completeness: {}%", view.completeness.percent);
    if !missing.is_empty() {
        println!("  Still missing: {}", missing.join("; "));
    }
    match &view.current {
        Some(question) => println!("\nNext question ({}): {}", question.id, question.text),
        None => println!("\nTriage is complete."),
    }
}
