//! The results as text: the terminal table of `runner bench`, and the
//! Markdown of the book's Performance page.

use std::fmt::Write;

use crate::benching::results::{AccelRun, Curve, Results, Row};

/// Ratios above this are marked: the goal is vibix at most 0.8× Linux.
pub const GOAL_RATIO: f64 = 0.8;

/// `0.12 ns`, `1234 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`.
pub fn fmt_ns(ns: f64) -> String {
    if ns < 10.0 {
        format!("{ns:.2} ns")
    } else if ns < 10_000.0 {
        format!("{ns:.0} ns")
    } else if ns < 10_000_000.0 {
        format!("{:.1} µs", ns / 1e3)
    } else if ns < 10_000_000_000.0 {
        format!("{:.1} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// `+12 ns`, `-3.4 µs`.
fn signed(ns: f64) -> String {
    if ns < 0.0 {
        format!("-{}", fmt_ns(-ns))
    } else {
        format!("+{}", fmt_ns(ns))
    }
}

fn cell(ns: Option<f64>) -> String {
    ns.map_or_else(|| "—".into(), fmt_ns)
}

fn ratio_cell(r: Option<f64>) -> String {
    match r {
        Some(r) if r > GOAL_RATIO => format!("{r:.2}×  *"),
        Some(r) => format!("{r:.2}×"),
        None => "—".into(),
    }
}

fn label(row: &Row) -> String {
    match row.param {
        Some(p) => format!("{} {p}", row.item),
        None => row.item.clone(),
    }
}

/// The terminal table of one accelerator's run.
pub fn text(run: &AccelRun) -> String {
    let mut out = String::new();
    let width = run
        .rows
        .iter()
        .map(|r| label(r).len())
        .max()
        .unwrap_or(10)
        .max(10);
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}",
        "item",
        format!("vibix {}", run.accel),
        format!("Linux {}", run.accel),
        "host",
        "vibix/Linux"
    );
    for row in &run.rows {
        let mut line = format!(
            "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}",
            label(row),
            cell(row.vibix_ns),
            cell(row.linux_ns),
            cell(row.host_ns),
            ratio_cell(row.ratio)
        );
        if let Some(note) = &row.note {
            line.push_str(&format!("  ({note})"));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if let Some(g) = run.geomean {
        let _ = writeln!(
            out,
            "geometric mean of the items' vibix/Linux ratios: {g:.2}×"
        );
    }
    let _ = writeln!(out, "(* above {GOAL_RATIO}× Linux)");
    for curve in &run.curves {
        let _ = writeln!(out, "{}", curve_line(curve));
    }
    out
}

/// `open_dir by entries 10 → 1000 → 100000: vibix ×1.00 ×1.02 ×1.20, Linux …`.
pub fn curve_line(c: &Curve) -> String {
    let points: Vec<String> = c.points.iter().map(u64::to_string).collect();
    let growth = |g: &[f64]| {
        g.iter()
            .map(|x| format!("×{x:.2}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "{} by {} {}: vibix {}, Linux {} (per {} more: vibix {}, Linux {}){}",
        c.item,
        c.param_name,
        points.join(" → "),
        growth(&c.vibix_growth),
        growth(&c.linux_growth),
        c.param_name,
        signed(c.vibix_slope_ns),
        signed(c.linux_slope_ns),
        if c.flagged {
            "  <- grows where Linux does not"
        } else {
            ""
        }
    )
}

/// The Markdown of the book's results section.
pub fn markdown(results: &Results) -> String {
    let mut out = String::new();
    let m = &results.machine;
    let _ = writeln!(
        out,
        "Measured on {} ({} cores, {} GiB), {}, on {}; load average before the run {}, \
         after {}. Linux guest: `{}`, booted with `{}`. Each item: the best of three runs of \
         about {} ms{}.\n",
        m.cpu,
        m.cores,
        m.memory_gib,
        m.qemu,
        m.date,
        m.load_before,
        results.load_after,
        results.linux_kernel,
        results.linux_cmdline,
        results.ms,
        if results.rounds > 1 {
            format!(
                ", in each of {} boots per system (vibix and Linux in turn), the fastest \
                 counting",
                results.rounds
            )
        } else {
            String::new()
        }
    );
    for run in &results.runs {
        let _ = writeln!(
            out,
            "### {} (`{}`)\n",
            run.accel.to_uppercase(),
            run.qemu_machine
        );
        let _ = writeln!(out, "| item | what | vibix | Linux | host | vibix/Linux |");
        let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: |");
        for row in &run.rows {
            let ratio = match row.ratio {
                Some(r) if r > GOAL_RATIO => format!("**{r:.2}×**"),
                Some(r) => format!("{r:.2}×"),
                None => row.note.clone().unwrap_or_else(|| "—".into()),
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                label(row),
                row.what,
                cell(row.vibix_ns),
                cell(row.linux_ns),
                cell(row.host_ns),
                ratio
            );
        }
        if let Some(g) = run.geomean {
            let _ = writeln!(
                out,
                "\nGeometric mean of the items' vibix/Linux ratios: **{g:.2}×**.\n"
            );
        }
        let _ = writeln!(
            out,
            "Scaling (cost per operation relative to the first point):\n"
        );
        for curve in &run.curves {
            let _ = writeln!(out, "- {}", curve_line(curve).replace("<-", "←"));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "KVM: {}", results.kvm);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_durations() {
        assert_eq!(fmt_ns(223.4), "223 ns");
        assert_eq!(fmt_ns(0.123), "0.12 ns");
        assert_eq!(fmt_ns(57_695.7), "57.7 µs");
        assert_eq!(fmt_ns(16_608_329.0), "16.6 ms");
        assert_eq!(fmt_ns(12_000_000_000.0), "12.00 s");
        assert_eq!(ratio_cell(Some(0.5)), "0.50×");
        assert_eq!(signed(-1500.0), "-1500 ns");
        assert_eq!(signed(12.0), "+12 ns");
        assert_eq!(ratio_cell(Some(1.3)), "1.30×  *");
    }
}
