//! `dutydesk enterprise import FILE.csv | export | search QUERY | add`.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::output::{csv_with_bom, table};
use super::{json, out, CliError, CliResult, Ctx};
use crate::desk::{Command, DeskError, Problem};
use crate::domain::{Enterprise, Grade, VipCategory};
use crate::i18n::Lang;

/// The CSV columns, in order (import and export).
pub const CSV_HEADER: [&str; 7] = [
    "credit_code",
    "name",
    "district",
    "grade",
    "vip_categories",
    "contact",
    "phone",
];

#[derive(Subcommand, Debug)]
pub enum EnterpriseCmd {
    /// Import enterprises from a CSV file (UTF-8, BOM allowed, header row required). A bad row
    /// rejects the whole file.
    Import { file: PathBuf },
    /// Export all enterprises.
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
    },
    /// Find enterprises by name, pinyin, pinyin initials or credit code.
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value = "table")]
        format: SearchFormat,
    },
    /// Register one enterprise (or update it).
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        district: String,
        #[arg(long, default_value = "")]
        grade: String,
        /// `;`-separated VIP categories.
        #[arg(long, default_value = "")]
        vip: String,
        #[arg(long, default_value = "")]
        contact: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SearchFormat {
    Table,
    Json,
}

pub fn run(ctx: &mut Ctx, cmd: EnterpriseCmd) -> CliResult {
    match cmd {
        EnterpriseCmd::Import { file } => import(ctx, &file),
        EnterpriseCmd::Export { format } => {
            let desk = ctx.open()?;
            let list = desk.enterprises();
            match format {
                ExportFormat::Json => out(&json(&list)?),
                ExportFormat::Csv => {
                    let rows: Vec<Vec<String>> = list.iter().map(to_row).collect();
                    out(&csv_with_bom(&CSV_HEADER, &rows))
                }
            }
        }
        EnterpriseCmd::Search {
            query,
            limit,
            format,
        } => {
            let desk = ctx.open()?;
            let hits = desk.search_enterprises(&query, limit.clamp(1, 1000));
            match format {
                SearchFormat::Json => {
                    let v: Vec<serde_json::Value> = hits
                        .iter()
                        .map(|e| {
                            serde_json::json!({
                                "name": e.name, "credit_code": e.credit_code, "vip": e.is_vip(),
                                "vip_categories": e.vip.iter().map(|c| c.zh()).collect::<Vec<_>>(),
                                "district": e.district,
                            })
                        })
                        .collect();
                    out(&json(&v)?)
                }
                SearchFormat::Table => {
                    let rows: Vec<Vec<String>> = hits
                        .iter()
                        .map(|e| {
                            vec![
                                e.credit_code.clone(),
                                e.name.clone(),
                                if e.is_vip() {
                                    "VIP".into()
                                } else {
                                    String::new()
                                },
                            ]
                        })
                        .collect();
                    let h = if ctx.lang.is_en() {
                        ["credit code", "name", "VIP"]
                    } else {
                        ["统一社会信用代码", "企业名称", "重点"]
                    };
                    out(&table(&h, &rows, &[0, 48, 0]))
                }
            }
        }
        EnterpriseCmd::Add {
            code,
            name,
            district,
            grade,
            vip,
            contact,
            phone,
        } => {
            let lang = ctx.lang;
            let e = build(&code, &name, &district, &grade, &vip, &contact, &phone)
                .map_err(|(f, v, p)| ctx.err(DeskError::invalid(f, v, p)))?;
            let mut desk = ctx.open()?;
            let now = super::now()?;
            let o = desk
                .execute(&ctx.officer, now, Command::SaveEnterprise { enterprise: e })
                .map_err(|e| ctx.err(e))?;
            if let Some(crate::domain::EventKind::EnterpriseSaved { enterprise }) =
                o.events.first().map(|r| &r.event)
            {
                out(&format!(
                    "{} {} {}\n",
                    lang.pick("已保存企业", "saved enterprise"),
                    enterprise.credit_code,
                    enterprise.name
                ))?;
            }
            Ok(())
        }
    }
}

fn to_row(e: &Enterprise) -> Vec<String> {
    vec![
        e.credit_code.clone(),
        e.name.clone(),
        e.district.clone(),
        e.grade.map(|g| g.zh().to_string()).unwrap_or_default(),
        e.vip.iter().map(|c| c.zh()).collect::<Vec<_>>().join(";"),
        e.contact.clone(),
        e.phone.clone(),
    ]
}

type FieldError = (&'static str, String, Problem);

/// Builds an enterprise from text fields, checking grade and VIP categories.
fn build(
    code: &str,
    name: &str,
    district: &str,
    grade: &str,
    vip: &str,
    contact: &str,
    phone: &str,
) -> Result<Enterprise, FieldError> {
    let grade = match grade.trim() {
        "" => None,
        g => Some(Grade::parse(g).ok_or_else(|| {
            (
                "grade",
                g.to_string(),
                Problem::OneOf(Grade::ALL.iter().map(|g| g.zh().to_string()).collect()),
            )
        })?),
    };
    let mut cats = Vec::new();
    for c in vip
        .split([';', '；'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        cats.push(VipCategory::parse(c).ok_or_else(|| {
            (
                "vip_categories",
                c.to_string(),
                Problem::OneOf(
                    VipCategory::ALL
                        .iter()
                        .map(|c| c.zh().to_string())
                        .collect(),
                ),
            )
        })?);
    }
    Ok(Enterprise {
        credit_code: code.trim().to_string(),
        name: name.trim().to_string(),
        district: district.trim().to_string(),
        grade,
        vip: cats,
        contact: contact.trim().to_string(),
        phone: phone.trim().to_string(),
    })
}

/// Reads and checks the whole file; returns every problem as `file:line: field: problem`.
pub fn parse_csv(path: &Path, lang: Lang) -> Result<Vec<Enterprise>, Vec<String>> {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Err(vec![format!("{shown}: {e}")]),
    };
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(vec![format!(
            "{shown}: {}",
            lang.pick(
                "文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                "the file is not UTF-8; save it as \"CSV UTF-8\""
            )
        )]);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return Err(vec![format!("{shown}:1: {e}")]),
    };
    let mut cols = [usize::MAX; 7];
    let mut errors = Vec::new();
    for (i, want) in CSV_HEADER.iter().enumerate() {
        match header.iter().position(|h| h == want) {
            Some(p) => cols[i] = p,
            None => errors.push(format!(
                "{shown}:1: {} \"{want}\"; {} {}",
                lang.pick("表头缺少列", "header is missing column"),
                lang.pick("表头应为", "the header must be"),
                CSV_HEADER.join(",")
            )),
        }
    }
    for h in &header {
        if !CSV_HEADER.contains(&h.as_str()) {
            errors.push(format!(
                "{shown}:1: {} \"{h}\"; {} {}",
                lang.pick("未知列", "unknown column"),
                lang.pick("表头应为", "the header must be"),
                CSV_HEADER.join(",")
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out: Vec<Enterprise> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(format!("{shown}:{line}: {e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: usize| rec.get(cols[i]).unwrap_or("").to_string();
        let loc = |f: &'static str, v: &str, p: Problem| -> String {
            format!(
                "{shown}:{line}: {}",
                DeskError::invalid(f, v, p).message(lang)
            )
        };
        match build(
            &get(0),
            &get(1),
            &get(2),
            &get(3),
            &get(4),
            &get(5),
            &get(6),
        ) {
            Err((f, v, p)) => errors.push(loc(f, &v, p)),
            Ok(e) => {
                let e = match crate::desk::validate_enterprise(e) {
                    Ok(e) => e,
                    Err(err) => {
                        errors.push(format!("{shown}:{line}: {}", err.message(lang)));
                        continue;
                    }
                };
                if let Some(first) = seen.insert(e.credit_code.clone(), line) {
                    errors.push(format!(
                        "{shown}:{line}: {} {} {}:{first}",
                        e.credit_code,
                        lang.pick("与前面一行重复：", "repeats the row at"),
                        shown
                    ));
                    continue;
                }
                out.push(e);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn import(ctx: &mut Ctx, file: &Path) -> CliResult {
    let list = parse_csv(file, ctx.lang).map_err(|errs| {
        let n = errs.len();
        let mut m = errs.into_iter().take(50).collect::<Vec<_>>().join("\n");
        m.push_str(&format!(
            "\n{}",
            if ctx.lang.is_en() {
                format!("{n} problem(s); nothing was imported. Fix the file and run again.")
            } else {
                format!("共 {n} 处问题；未导入任何记录。请修改文件后重新导入。")
            }
        ));
        CliError::BadInput(m)
    })?;
    let mut desk = ctx.open()?;
    let now = super::now()?;
    let n = list.len();
    let vip = list.iter().filter(|e| e.is_vip()).count();
    if n > 0 {
        desk.execute(
            &ctx.officer,
            now,
            Command::ImportEnterprises { enterprises: list },
        )
        .map_err(|e| ctx.err(e))?;
    }
    out(&if ctx.lang.is_en() {
        format!("imported {n} enterprises ({vip} VIP)\n")
    } else {
        format!("已导入 {n} 家企业（其中重点企业 {vip} 家）\n")
    })
}
