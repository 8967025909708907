//! A run's results: one row per item (and per point of a scaling curve)
//! with ns/op on vibix, on the Linux guest and on the host, the
//! vibix/Linux ratio, the geometric mean of the items' ratios, and how each
//! scaling curve grows. Serialised as the JSON of `--json` and of the
//! book's `bench-results.json`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::benching::machine_info::MachineInfo;
use crate::benching::manifest::Program;
use crate::benching::samples::Sample;

/// The item the runner itself measures: QEMU's start to the first line.
pub const BOOT_ITEM: &str = "boot_to_first_line";

/// A scaling curve is flagged when vibix's marginal cost (what each unit
/// of the parameter adds, from the first to the last point) is more than
/// this factor times Linux's… (Marginal, not relative: a system with a
/// smaller fixed cost grows more in relative terms for the same work.)
pub const GROWTH_VS_LINUX: f64 = 1.5;
/// …and vibix's cost grows by more than this much in itself (noise on a
/// flat curve is not growth).
pub const GROWTH_NOISE: f64 = 1.25;

fn one_round() -> u32 {
    1
}

/// Everything one `runner bench` measured.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Results {
    pub phase: u32,
    pub machine: MachineInfo,
    /// `/proc/loadavg` when the run ended.
    pub load_after: String,
    /// The Linux guest's kernel package (or file).
    pub linux_kernel: String,
    /// What the Linux guest's kernel command line adds to init and its
    /// arguments.
    pub linux_cmdline: String,
    /// The target time of one timed run, in ms.
    pub ms: u64,
    /// Boots of each program on each system, the two in turn (results
    /// from before the option say nothing: one).
    #[serde(default = "one_round")]
    pub rounds: u32,
    pub runs: Vec<AccelRun>,
    /// Whether KVM was measured, or why not.
    pub kvm: String,
}

/// The results under one accelerator.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccelRun {
    pub accel: String,
    /// QEMU's machine options shared by both guests (`-m 1G -M pc …`).
    pub qemu_machine: String,
    pub rows: Vec<Row>,
    /// Geometric mean of the vibix/Linux ratios of the items (scaling
    /// points excluded: they are judged by their growth).
    pub geomean: Option<f64>,
    pub curves: Vec<Curve>,
}

/// One measured item, or one point of a curve.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Row {
    pub phase: u32,
    pub item: String,
    pub param: Option<u64>,
    pub what: String,
    pub vibix_ns: Option<f64>,
    pub linux_ns: Option<f64>,
    pub host_ns: Option<f64>,
    /// vibix / Linux.
    pub ratio: Option<f64>,
    /// Why a number is missing.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
}

/// How one scaling item grows with its parameter.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Curve {
    pub item: String,
    pub what: String,
    pub param_name: String,
    /// The parameter values measured on both systems.
    pub points: Vec<u64>,
    /// ns/op at each point over ns/op at the first.
    pub vibix_growth: Vec<f64>,
    pub linux_growth: Vec<f64>,
    /// ns/op added per unit of the parameter, first point to last.
    pub vibix_slope_ns: f64,
    pub linux_slope_ns: f64,
    /// vibix grows where Linux does not (see [`GROWTH_VS_LINUX`]).
    pub flagged: bool,
}

/// The samples of one system, by program.
#[derive(Default)]
pub struct SystemSamples {
    pub by_program: BTreeMap<String, Vec<Sample>>,
    /// The boot to the first line of the first program.
    pub boot_ns: Option<f64>,
}

/// The smaller of two times, either of which may be missing.
pub fn fastest(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Merges another boot's samples of one program into `kept`: an item new
/// to `kept` is added, one it has keeps the faster time (a time beats a
/// skip).
pub fn keep_fastest(kept: &mut Vec<Sample>, samples: Vec<Sample>) {
    for s in samples {
        match kept
            .iter_mut()
            .find(|k| k.item == s.item && k.param == s.param)
        {
            None => kept.push(s),
            Some(k) => {
                if let Some(t) = s.ns_per_op
                    && fastest(k.ns_per_op, Some(t)) == Some(t)
                {
                    k.ns_per_op = Some(t);
                    k.skipped = None;
                }
            }
        }
    }
}

impl SystemSamples {
    fn find(&self, program: &str, item: &str, param: Option<u64>) -> Option<&Sample> {
        self.by_program
            .get(program)?
            .iter()
            .find(|s| s.item == item && s.param == param)
    }

    fn params(&self, program: &str, item: &str) -> Vec<u64> {
        self.by_program
            .get(program)
            .map(|v| {
                v.iter()
                    .filter(|s| s.item == item)
                    .filter_map(|s| s.param)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Builds the rows and curves of one accelerator's run; with `only`, of
/// the items whose names contain it (the programs ran only those).
pub fn assemble(
    only: Option<&str>,
    programs: &[Program],
    vibix: &SystemSamples,
    linux: &SystemSamples,
    host: &SystemSamples,
) -> (Vec<Row>, Vec<Curve>) {
    let mut rows = vec![Row {
        phase: programs.first().map_or(1, |p| p.phase),
        item: BOOT_ITEM.into(),
        param: None,
        what: "boot: QEMU started to the benchmark's first line".into(),
        vibix_ns: vibix.boot_ns,
        linux_ns: linux.boot_ns,
        host_ns: None,
        ratio: ratio(vibix.boot_ns, linux.boot_ns),
        note: None,
    }];
    let mut curves = Vec::new();
    for program in programs {
        for item in &program.items {
            if only.is_some_and(|o| !item.name.contains(o)) {
                continue;
            }
            let params: Vec<Option<u64>> = match &item.param {
                None => vec![None],
                Some(_) => {
                    let mut all = vibix.params(&program.name, &item.name);
                    all.extend(linux.params(&program.name, &item.name));
                    all.sort_unstable();
                    all.dedup();
                    all.into_iter().map(Some).collect()
                }
            };
            for param in params {
                let v = vibix.find(&program.name, &item.name, param);
                let l = linux.find(&program.name, &item.name, param);
                let h = host.find(&program.name, &item.name, param);
                let ns = |s: Option<&Sample>| s.and_then(|s| s.ns_per_op);
                let note = [("vibix", v), ("Linux", l)]
                    .iter()
                    .find_map(|(who, s)| match s {
                        None => Some(format!("no result on {who}")),
                        Some(s) => s.skipped.as_ref().map(|why| format!("{who}: {why}")),
                    });
                rows.push(Row {
                    phase: program.phase,
                    item: item.name.clone(),
                    param,
                    what: item.what.clone(),
                    vibix_ns: ns(v),
                    linux_ns: ns(l),
                    host_ns: ns(h),
                    ratio: ratio(ns(v), ns(l)),
                    note,
                });
            }
            if let Some(param_name) = &item.param {
                let c = curve(&rows, &item.name, &item.what, param_name);
                // A curve with no point measured on both systems has no growth
                // to show (its rows say why).
                if !c.points.is_empty() {
                    curves.push(c);
                }
            }
        }
    }
    (rows, curves)
}

fn ratio(vibix: Option<f64>, linux: Option<f64>) -> Option<f64> {
    match (vibix, linux) {
        (Some(v), Some(l)) if l > 0.0 => Some(v / l),
        _ => None,
    }
}

/// The geometric mean of the items' ratios (rows without a parameter).
pub fn geomean(rows: &[Row]) -> Option<f64> {
    let ratios: Vec<f64> = rows
        .iter()
        .filter(|r| r.param.is_none())
        .filter_map(|r| r.ratio)
        .filter(|r| *r > 0.0)
        .collect();
    if ratios.is_empty() {
        return None;
    }
    Some((ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp())
}

fn curve(rows: &[Row], item: &str, what: &str, param_name: &str) -> Curve {
    let points: Vec<&Row> = rows
        .iter()
        .filter(|r| r.item == item && r.param.is_some() && r.ratio.is_some())
        .collect();
    let growth = |get: fn(&Row) -> Option<f64>| -> Vec<f64> {
        let first = points.first().and_then(|r| get(r)).unwrap_or(0.0);
        points
            .iter()
            .map(|r| get(r).map_or(0.0, |v| if first > 0.0 { v / first } else { 0.0 }))
            .collect()
    };
    let vibix_growth = growth(|r| r.vibix_ns);
    let linux_growth = growth(|r| r.linux_ns);
    let slope = |get: fn(&Row) -> Option<f64>| -> f64 {
        match (points.first(), points.last()) {
            (Some(a), Some(b)) if b.param > a.param => {
                let span = (b.param.unwrap_or(0) - a.param.unwrap_or(0)) as f64;
                (get(b).unwrap_or(0.0) - get(a).unwrap_or(0.0)) / span
            }
            _ => 0.0,
        }
    };
    let (vibix_slope_ns, linux_slope_ns) = (slope(|r| r.vibix_ns), slope(|r| r.linux_ns));
    let flagged = vibix_growth.last().is_some_and(|&v| v > GROWTH_NOISE)
        && vibix_slope_ns > GROWTH_VS_LINUX * linux_slope_ns.max(0.0);
    Curve {
        item: item.into(),
        what: what.into(),
        param_name: param_name.into(),
        points: points.iter().filter_map(|r| r.param).collect(),
        vibix_growth,
        linux_growth,
        vibix_slope_ns,
        linux_slope_ns,
        flagged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::benching::manifest::parse;
    use crate::benching::samples::parse_line;

    #[test]
    fn rounds_keep_each_item_s_fastest_time() {
        let boot = |lines: &[&str]| -> Vec<Sample> {
            lines.iter().filter_map(|l| parse_line(l)).collect()
        };
        let mut kept = boot(&["bench getpid - 4000 10", "bench fork - 900 1"]);
        keep_fastest(
            &mut kept,
            boot(&[
                "bench getpid - 2000 10",
                "bench fork - 950 1",
                "bench open - 50 1",
            ]),
        );
        let ns: Vec<(String, Option<f64>)> =
            kept.iter().map(|s| (s.item.clone(), s.ns_per_op)).collect();
        assert_eq!(
            ns,
            [
                ("getpid".to_string(), Some(200.0)),
                ("fork".to_string(), Some(900.0)),
                ("open".to_string(), Some(50.0)),
            ]
        );
        assert_eq!(fastest(None, Some(3.0)), Some(3.0));
        assert_eq!(fastest(Some(2.0), Some(3.0)), Some(2.0));
        assert_eq!(fastest(None, None), None);
    }

    fn samples(lines: &[&str], boot: f64) -> SystemSamples {
        let mut s = SystemSamples {
            boot_ns: Some(boot),
            ..Default::default()
        };
        s.by_program.insert(
            "bench".into(),
            lines.iter().filter_map(|l| parse_line(l)).collect(),
        );
        s
    }

    #[test]
    fn rows_ratios_geomean_and_curves() {
        let mut programs = parse(
            r#"
            [[program]]
            name = "bench"
            items = [
                { name = "a", what = "A" },
                { name = "c", what = "C", param = "n" },
            ]
            "#,
        )
        .unwrap();
        programs[0].phase = 1;
        let vibix = samples(
            &["bench a - 100 1", "bench c 1 10 1", "bench c 100 100 1"],
            2.0,
        );
        let linux = samples(
            &["bench a - 400 1", "bench c 1 10 1", "bench c 100 12 1"],
            8.0,
        );
        let host = SystemSamples::default();
        let (rows, curves) = assemble(None, &programs, &vibix, &linux, &host);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].item, BOOT_ITEM);
        assert_eq!(rows[1].ratio, Some(0.25));
        assert_eq!(rows[3].param, Some(100));
        // sqrt(0.25 * 0.25): the boot and item `a`.
        assert!((geomean(&rows).unwrap() - 0.25).abs() < 1e-9);
        assert_eq!(curves.len(), 1);
        assert_eq!(curves[0].points, [1, 100]);
        assert_eq!(curves[0].vibix_growth, [1.0, 10.0]);
        // 90 ns more over 99 units on vibix, 2 ns on Linux.
        assert!((curves[0].vibix_slope_ns - 90.0 / 99.0).abs() < 1e-9);
        assert!(curves[0].flagged);
    }

    #[test]
    fn missing_and_skipped_results_have_notes() {
        let programs = parse(
            "[[program]]\nname = \"bench\"\nitems = [{ name = \"a\", what = \"A\" }, \
             { name = \"b\", what = \"B\" }]\n",
        )
        .unwrap();
        let vibix = samples(&["bench-skip a - ENOSPC"], 1.0);
        let linux = samples(&["bench a - 1 1", "bench b - 1 1"], 1.0);
        let (rows, _) = assemble(None, &programs, &vibix, &linux, &SystemSamples::default());
        assert_eq!(rows[1].note.as_deref(), Some("vibix: ENOSPC"));
        assert_eq!(rows[2].note.as_deref(), Some("no result on vibix"));
        assert_eq!(rows[2].ratio, None);
    }

    #[test]
    fn only_keeps_the_matching_items() {
        let programs = parse(
            "[[program]]\nname = \"bench\"\nitems = [{ name = \"thread_a\", what = \"A\" }, \
             { name = \"mutex_b\", what = \"B\" }, { name = \"thread_c\", what = \"C\", \
             param = \"n\" }]\n",
        )
        .unwrap();
        let vibix = samples(&["bench thread_a - 1 1"], 1.0);
        let linux = samples(&["bench thread_a - 1 1"], 1.0);
        let none = SystemSamples::default();
        let (rows, curves) = assemble(Some("thread"), &programs, &vibix, &linux, &none);
        let items: Vec<&str> = rows.iter().map(|r| r.item.as_str()).collect();
        assert_eq!(items, [BOOT_ITEM, "thread_a"]);
        assert!(curves.is_empty(), "thread_c was measured nowhere: no curve");
        let (rows, _) = assemble(None, &programs, &vibix, &linux, &none);
        assert_eq!(rows.len(), 3, "without a filter every item has a row");
    }
}
