//! Progress of long work (rebuilding the view): a bar on a terminal, one line at the start
//! and one at the end otherwise, always on stderr so stdout stays clean for scripts.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::i18n::Lang;
use crate::store::Progress;

struct State {
    bar: Option<ProgressBar>,
    started: Option<Instant>,
}

/// A bar of `len` steps on stderr with `msg`, when the output is a terminal (a person is
/// watching); None for scripts and pipes.
pub fn bar(len: u64, msg: String) -> Option<ProgressBar> {
    if !(std::io::stdout().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    let b = ProgressBar::new(len.max(1));
    b.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    b.set_message(msg);
    Some(b)
}

/// A progress reporter for the store's rebuilds.
pub fn for_store(lang: Lang) -> Progress {
    let state = Arc::new(Mutex::new(State {
        bar: None,
        started: None,
    }));
    let terminal = std::io::stderr().is_terminal();
    Arc::new(move |why: &str, done: u64, total: u64| {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        if s.started.is_none() {
            s.started = Some(Instant::now());
            let what = match lang {
                Lang::Zh => format!("正在从日志重建视图（{}）", reason_zh(why)),
                Lang::En => format!("rebuilding the view from the journal ({why})"),
            };
            if terminal {
                let bar = ProgressBar::new(total.max(1));
                bar.set_style(
                    ProgressStyle::with_template("{msg} [{bar:30}] {percent:>3}% {eta}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar.set_message(what);
                s.bar = Some(bar);
            } else {
                eprintln!("{what}…");
            }
        }
        if let Some(bar) = &s.bar {
            bar.set_position(done);
        }
        if done >= total {
            let secs = s.started.map_or(0.0, |t| t.elapsed().as_secs_f64());
            if let Some(bar) = s.bar.take() {
                bar.finish_and_clear();
            }
            match lang {
                Lang::Zh => eprintln!("视图已重建（{secs:.1} 秒）"),
                Lang::En => eprintln!("view rebuilt ({secs:.1} s)"),
            }
            s.started = None;
        }
    })
}

fn reason_zh(why: &str) -> &'static str {
    match why {
        "missing or damaged" => "视图缺失或损坏",
        "damaged" => "视图损坏",
        "out of step with the journal" => "视图与日志不一致",
        "restore" => "从备份恢复",
        "rebuild" => "手动重建",
        _ => "重建",
    }
}
