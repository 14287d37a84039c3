//! `dutydesk enterprise import FILE.csv | export | search QUERY | add`.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::csv_out::{self, Cell, Column};
use super::output::table;
use super::{json, out, CliError, CliResult, Ctx};
use crate::desk::{Command, DeskError, Problem};
use crate::domain::policy::Act;
use crate::domain::{Enterprise, Grade, VipCategory};
use crate::i18n::Lang;

/// The CSV columns, in order: (Chinese, English). Export writes the chosen language's header;
/// import accepts either name for each column.
pub const CSV_COLUMNS: [Column; 7] = [
    ("统一社会信用代码", "credit_code"),
    ("企业名称", "name"),
    ("所属街镇", "district"),
    ("企业分级", "grade"),
    ("重点企业类别", "vip_categories"),
    ("联系人", "contact"),
    ("联系电话", "phone"),
];

/// The English column names, as import messages name the fields.
pub const CSV_HEADER: [&str; 7] = [
    CSV_COLUMNS[0].1,
    CSV_COLUMNS[1].1,
    CSV_COLUMNS[2].1,
    CSV_COLUMNS[3].1,
    CSV_COLUMNS[4].1,
    CSV_COLUMNS[5].1,
    CSV_COLUMNS[6].1,
];

/// Which column a header name is (in either language).
fn column_of(name: &str) -> Option<usize> {
    CSV_COLUMNS.iter().position(|c| c.0 == name || c.1 == name)
}

#[derive(Subcommand, Debug)]
pub enum EnterpriseCmd {
    /// Import enterprises from a CSV file (UTF-8, BOM allowed, header row required). A bad row
    /// rejects the whole file; an enterprise already registered changes only with --update.
    Import {
        /// The CSV file (columns credit_code,name,district,grade,vip_categories,contact,phone, or
        /// the same in Chinese: 统一社会信用代码,企业名称,所属街镇,企业分级,重点企业类别,联系人,联系电话).
        file: PathBuf,
        /// Replace enterprises already registered (same credit code) with the file's rows.
        #[arg(long)]
        update: bool,
    },
    /// Export all enterprises (phones masked unless --show-pii; a masked export cannot be
    /// imported back).
    Export {
        /// csv: for spreadsheets and import; json: for scripts.
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Print phone numbers in full (masked as 138****5678 by default).
        #[arg(long)]
        show_pii: bool,
    },
    /// Find enterprises by name, pinyin, pinyin initials or credit code.
    Search {
        /// Name or part of it, pinyin, pinyin initials, or credit code.
        query: String,
        /// At most this many results (1–1000).
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// table: for people; json: for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: SearchFormat,
        /// Print phone numbers in full (masked as 138****5678 by default).
        #[arg(long)]
        show_pii: bool,
    },
    /// The enterprise's ledger (企业问题困难动态台账): details, grade, VIP categories, every
    /// issue open and closed with its unit and outcome, inspections, last contact, evaluations.
    Show {
        /// The enterprise: its full name, a name fragment, pinyin or pinyin initials that match
        /// only it, or its 18-character credit code.
        enterprise: String,
        /// text: a page for people; json: the same for scripts.
        #[arg(long, value_enum, default_value = "text")]
        format: ShowFormat,
        /// Print phone numbers in full (masked as 138****5678 by default).
        #[arg(long)]
        show_pii: bool,
    },
    /// Register one enterprise (or update it).
    Add {
        /// The 18-character unified social credit code.
        #[arg(long)]
        code: String,
        /// The registered name.
        #[arg(long)]
        name: String,
        /// District or street (所属街镇).
        #[arg(long, default_value = "")]
        district: String,
        /// 龙头企业, 骨干企业, 成长型企业 or 困难企业 (or empty).
        #[arg(long, default_value = "")]
        grade: String,
        /// `;`-separated VIP categories.
        #[arg(long, default_value = "")]
        vip: String,
        /// The enterprise's contact person.
        #[arg(long, default_value = "")]
        contact: String,
        /// The contact's phone (mobile or landline).
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
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SearchFormat {
    Table,
    Json,
}

pub fn run(ctx: &mut Ctx, cmd: EnterpriseCmd) -> CliResult {
    match cmd {
        EnterpriseCmd::Import { file, update } => import(ctx, &file, update),
        EnterpriseCmd::Export { format, show_pii } => {
            let desk = ctx.open_for(Act::ExportEnterprises)?;
            let mut list = desk.enterprises();
            if !show_pii {
                list.iter_mut().for_each(mask);
            }
            match format {
                ExportFormat::Json => out(&json(&list)?),
                ExportFormat::Csv => {
                    let lang = ctx.lang;
                    let rows: Vec<Vec<Cell>> = list.iter().map(|e| to_row(e, lang)).collect();
                    out(&csv_out::document(
                        &csv_out::header(lang, &CSV_COLUMNS),
                        &rows,
                    ))
                }
            }
        }
        EnterpriseCmd::Search {
            query,
            limit,
            format,
            show_pii,
        } => {
            let desk = ctx.open_for(Act::SearchEnterprises)?;
            let mut hits = desk.search_enterprises(&query, limit.clamp(1, 1000));
            if !show_pii {
                hits.iter_mut().for_each(mask);
            }
            match format {
                SearchFormat::Json => {
                    let v: Vec<serde_json::Value> = hits
                        .iter()
                        .map(|e| {
                            serde_json::json!({
                                "name": e.name, "credit_code": e.credit_code, "vip": e.is_vip(),
                                "vip_categories": e.vip.iter().map(|c| c.zh()).collect::<Vec<_>>(),
                                "district": e.district,
                                "contact": e.contact, "phone": e.phone,
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
        EnterpriseCmd::Show {
            enterprise,
            format,
            show_pii,
        } => show(ctx, &enterprise, format, show_pii),
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
                .execute_as(
                    &ctx.account,
                    now,
                    Command::SaveEnterprise { enterprise: e },
                    None,
                )
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

/// Masks an enterprise's phone (the default for every output).
fn mask(e: &mut Enterprise) {
    e.phone = crate::domain::phone::mask(&e.phone);
}

/// One enterprise as words in `lang` (grade and VIP categories read back by import in either
/// language); the code and the phone as text cells.
fn to_row(e: &Enterprise, lang: Lang) -> Vec<Cell> {
    vec![
        Cell::Text(e.credit_code.clone()),
        e.name.as_str().into(),
        e.district.as_str().into(),
        e.grade
            .map(|g| lang.pick(g.zh(), g.en()))
            .unwrap_or_default()
            .into(),
        e.vip
            .iter()
            .map(|c| lang.pick(c.zh(), c.en()))
            .collect::<Vec<_>>()
            .join(";")
            .into(),
        e.contact.as_str().into(),
        Cell::Text(e.phone.clone()),
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

/// A row of the file, checked: the enterprise and the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub enterprise: Enterprise,
}

/// `file:line: column: "value": problem` in the user's language.
fn located(
    shown: &str,
    line: usize,
    column: &str,
    value: &str,
    problem: &str,
    lang: Lang,
) -> String {
    let name = crate::desk::field_name(column, lang);
    let col = if lang.is_en() || name == column {
        column.to_string()
    } else {
        format!("{column}（{name}）")
    };
    match (value.is_empty(), lang.is_en()) {
        (true, false) => format!("{shown}:{line}: {col}：{problem}"),
        (true, true) => format!("{shown}:{line}: {col}: {problem}"),
        (false, false) => format!("{shown}:{line}: {col}「{value}」：{problem}"),
        (false, true) => format!("{shown}:{line}: {col}: \"{value}\": {problem}"),
    }
}

fn header_hint(lang: Lang) -> String {
    let zh: Vec<&str> = CSV_COLUMNS.iter().map(|c| c.0).collect();
    format!(
        "{} {} {} {}",
        lang.pick("表头应为", "the header must be"),
        CSV_HEADER.join(","),
        lang.pick("或", "or"),
        zh.join(",")
    )
}

/// Reads and checks the whole file; returns every problem as `file:line: field: problem and
/// how to fix it`. Nothing is accepted from a file with any problem.
pub fn parse_csv(path: &Path, lang: Lang) -> Result<Vec<Row>, Vec<String>> {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    lang.pick("文件不存在；请检查路径", "no such file; check the path")
                }
                std::io::ErrorKind::PermissionDenied => lang.pick(
                    "没有读取权限；请检查文件权限",
                    "permission denied; check the file's permissions",
                ),
                _ => lang.pick("无法读取该文件", "cannot read the file"),
            };
            return Err(vec![format!("{shown}: {why} ({e})")]);
        }
    };
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![format!(
            "{shown}: {}",
            lang.pick(
                "文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                "the file is not UTF-8; save it as \"CSV UTF-8\""
            )
        )]);
    };
    let (records, problems) = super::csv_in::read(text);
    let mut errors: Vec<(usize, String)> = problems
        .iter()
        .map(|p| {
            (
                p.line(),
                format!("{shown}:{}: {}", p.line(), p.message(!lang.is_en())),
            )
        })
        .collect();
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        if errors.is_empty() {
            errors.push((
                1,
                format!(
                    "{shown}:1: {}; {}",
                    lang.pick("文件是空的", "the file is empty"),
                    header_hint(lang)
                ),
            ));
        }
        return Err(errors.into_iter().map(|e| e.1).collect());
    };
    let hl = header.line;
    if errors.iter().any(|e| e.0 < hl) {
        // The header line itself is broken: nothing after it can be read against it.
        return Err(errors.into_iter().map(|e| e.1).collect());
    }
    let names: Vec<String> = header.fields.iter().map(|h| h.trim().to_string()).collect();
    let mut cols = [usize::MAX; 7];
    for (i, want) in CSV_HEADER.iter().enumerate() {
        match names.iter().position(|h| column_of(h) == Some(i)) {
            Some(p) => cols[i] = p,
            None => errors.push((
                hl,
                format!(
                    "{shown}:{hl}: {} \"{want}\"; {}",
                    lang.pick("表头缺少列", "header is missing column"),
                    header_hint(lang)
                ),
            )),
        }
    }
    for (i, h) in names.iter().enumerate() {
        let col = column_of(h);
        if let Some(first) = names[..i]
            .iter()
            .position(|x| x == h || (col.is_some() && column_of(x) == col))
        {
            errors.push((
                hl,
                if lang.is_en() {
                    format!(
                        "{shown}:{hl}: column \"{h}\" appears twice (columns {} and {}); keep one",
                        first + 1,
                        i + 1
                    )
                } else {
                    format!(
                        "{shown}:{hl}: 列「{h}」出现了两次（第 {} 列和第 {} 列）；请只保留一列",
                        first + 1,
                        i + 1
                    )
                },
            ));
        } else if col.is_none() {
            errors.push((
                hl,
                format!(
                    "{shown}:{hl}: {} \"{h}\"; {}",
                    lang.pick("未知列", "unknown column"),
                    header_hint(lang)
                ),
            ));
        }
    }
    if errors.iter().any(|e| e.0 == hl) {
        errors.sort_by_key(|e| e.0);
        return Err(errors.into_iter().map(|e| e.1).collect());
    }
    let mut out: Vec<Row> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for rec in records {
        let line = rec.line;
        if rec.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.fields.len() != names.len() {
            let n = rec.fields.len();
            let want = names.len();
            errors.push((
                line,
                if lang.is_en() {
                    format!(
                        "{shown}:{line}: the row has {n} fields but the header has {want}; check for a missing or extra comma (a value with a comma must be in double quotes)"
                    )
                } else {
                    format!(
                        "{shown}:{line}: 此行有 {n} 列，表头有 {want} 列；请检查是否多了或少了逗号（含逗号的内容须用英文双引号括起）"
                    )
                },
            ));
            continue;
        }
        // A cell our own export neutralised ('=…) or wrote as text (="…") reads back as it was.
        let cell = |i: usize| crate::sanitize::csv_untext(&rec.fields[cols[i]]).to_string();
        let cells: Vec<String> = (0..7).map(cell).collect();
        if let Some((i, (pos, c))) = cells
            .iter()
            .enumerate()
            .find_map(|(i, v)| crate::sanitize::first_hidden(v).map(|h| (i, h)))
        {
            errors.push((
                line,
                located(
                    &shown,
                    line,
                    CSV_HEADER[i],
                    "",
                    &Problem::Hidden(pos, c).text(lang),
                    lang,
                ),
            ));
            continue;
        }
        let built = build(
            &cells[0], &cells[1], &cells[2], &cells[3], &cells[4], &cells[5], &cells[6],
        )
        .map_err(|(f, v, p)| DeskError::invalid(f, v, p))
        .and_then(crate::desk::validate_enterprise);
        let e = match built {
            Ok(e) => e,
            Err(DeskError::Invalid {
                field,
                value,
                problem,
            }) => {
                errors.push((
                    line,
                    located(&shown, line, field, &value, &problem.text(lang), lang),
                ));
                continue;
            }
            Err(other) => {
                errors.push((line, format!("{shown}:{line}: {}", other.message(lang))));
                continue;
            }
        };
        if let Some(first) = seen.get(&e.credit_code) {
            let problem = if lang.is_en() {
                format!("also on line {first} ({shown}:{first}); list each enterprise once")
            } else {
                format!("与第 {first} 行（{shown}:{first}）重复；同一企业在文件中只能出现一次")
            };
            errors.push((
                line,
                located(&shown, line, "credit_code", &e.credit_code, &problem, lang),
            ));
            continue;
        }
        seen.insert(e.credit_code.clone(), line);
        out.push(Row {
            line,
            enterprise: e,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| e.0);
        Err(errors.into_iter().map(|e| e.1).collect())
    }
}

/// The message for a file with problems: the first 50, how many, and that nothing was written.
fn refused(errs: Vec<String>, lang: Lang) -> CliError {
    let n = errs.len();
    let mut m = errs.into_iter().take(50).collect::<Vec<_>>().join("\n");
    m.push_str(&format!(
        "\n{}",
        if lang.is_en() {
            format!("{n} problem(s); nothing was imported. Fix the file and run again.")
        } else {
            format!("共 {n} 处问题；未导入任何记录。请修改文件后重新导入。")
        }
    ));
    CliError::BadInput(m)
}

fn import(ctx: &mut Ctx, file: &Path, update: bool) -> CliResult {
    let file = &ctx.path(file);
    ctx.authorize(Act::ImportEnterprises)?;
    let rows = parse_csv(file, ctx.lang).map_err(|errs| refused(errs, ctx.lang))?;
    let mut desk = ctx.open()?;
    let lang = ctx.lang;
    let shown = file.display().to_string();
    let mut added = 0;
    let mut updated = 0;
    let mut unchanged = 0;
    let mut errors = Vec::new();
    let mut list = Vec::with_capacity(rows.len());
    let bar = super::progress::bar(
        rows.len() as u64,
        lang.pick("核对企业", "checking enterprises").to_string(),
    );
    for r in rows {
        if let Some(b) = &bar {
            b.inc(1);
        }
        match desk.enterprise_opt(&r.enterprise.credit_code) {
            None => {
                added += 1;
                list.push(r.enterprise);
            }
            Some(old) if *old == r.enterprise => unchanged += 1,
            Some(_) if update => {
                updated += 1;
                list.push(r.enterprise);
            }
            Some(old) => {
                let problem = if lang.is_en() {
                    format!(
                        "already registered as \"{}\"; nothing is changed without --update (run `dutydesk enterprise import FILE --update` to replace existing enterprises with the file's rows)",
                        old.name
                    )
                } else {
                    format!(
                        "已登记为「{}」；不加 --update 不会修改已有企业（如需用文件内容替换已有企业，请运行 `dutydesk enterprise import 文件 --update`）",
                        old.name
                    )
                };
                errors.push(located(
                    &shown,
                    r.line,
                    "credit_code",
                    &r.enterprise.credit_code,
                    &problem,
                    lang,
                ));
            }
        }
    }
    if !errors.is_empty() {
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        return Err(refused(errors, lang));
    }
    let now = super::now()?;
    let vip = list.iter().filter(|e| e.is_vip()).count();
    if let Some(b) = &bar {
        b.set_message(
            lang.pick("写入（全部或全不）", "recording (all or none)")
                .to_string(),
        );
    }
    if !list.is_empty() {
        // One commit: all rows or none.
        desk.execute_as(
            &ctx.account,
            now,
            Command::ImportEnterprises { enterprises: list },
            None,
        )
        .map_err(|e| ctx.err(e))?;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut msg = match (update, lang.is_en()) {
        (false, true) => format!("imported {added} enterprises ({vip} VIP)"),
        (false, false) => format!("已导入 {added} 家企业（其中重点企业 {vip} 家）"),
        (true, true) => format!("{added} added, {updated} updated ({vip} of them VIP)"),
        (true, false) => format!("新增 {added} 家，更新 {updated} 家（其中重点企业 {vip} 家）"),
    };
    if unchanged > 0 {
        msg.push_str(&if lang.is_en() {
            format!("; {unchanged} already registered exactly as in the file")
        } else {
            format!("；另有 {unchanged} 家与文件内容完全相同，未改动")
        });
    }
    out(&format!("{msg}\n"))
}

/// `enterprise show`: the enterprise named by `key` (credit code, full name, or a search with
/// one clear answer) and its ledger. A unit's account sees only the issues it handles or
/// helps on, and inspections only when its role may read them.
fn show(ctx: &mut Ctx, key: &str, format: ShowFormat, show_pii: bool) -> CliResult {
    let desk = ctx.open_for(Act::SearchEnterprises)?;
    ctx.authorize(Act::ReadIssues)?;
    let today = super::now()?.date();
    let lang = ctx.lang;
    let e = desk.find_enterprise(key).map_err(|e| match e {
        DeskError::Ambiguous { .. } => ambiguous(&desk, key, lang),
        DeskError::NotFound { .. } => CliError::BadInput(if lang.is_en() {
            format!(
                "no enterprise matches \"{}\"; find it with `dutydesk enterprise search WORDS`, then give its full name or credit code",
                key.trim()
            )
        } else {
            format!(
                "没有与「{}」匹配的企业；请先用 `dutydesk enterprise search 关键词` 查找，再给出完整名称或统一社会信用代码",
                key.trim()
            )
        }),
        other => ctx.err(other),
    })?;
    let mut ledger = desk
        .ledger_as(&ctx.account, e, today)
        .map_err(|e| ctx.err(e))?;
    if !show_pii {
        mask(&mut ledger.enterprise);
        for i in &mut ledger.issues {
            i.phone = crate::domain::phone::mask(&i.phone);
        }
    }
    match format {
        ShowFormat::Json => out(&json(&ledger)?),
        ShowFormat::Text => out(&ledger_text(&ledger, lang)),
    }
}

/// Several enterprises match: each with its credit code, and how to pick one.
fn ambiguous(desk: &crate::desk::Desk, key: &str, lang: Lang) -> CliError {
    let hits = desk.search_enterprises(key, 8);
    let list: String = hits
        .iter()
        .map(|e| format!("\n  {}  {}", e.credit_code, e.name))
        .collect();
    CliError::BadInput(if lang.is_en() {
        format!(
            "\"{}\" matches several enterprises:{list}\nrun `dutydesk enterprise show CREDIT_CODE` with the code of the one you mean",
            key.trim()
        )
    } else {
        format!(
            "「{}」匹配多家企业：{list}\n请用统一社会信用代码指定一家：`dutydesk enterprise show 统一社会信用代码`",
            key.trim()
        )
    })
}

/// The ledger as a page for people: details, counts, open issues, closed ones, inspections.
/// Stored text goes through the sanitiser on the way out (`out`).
pub fn ledger_text(l: &crate::desk::Ledger, lang: Lang) -> String {
    use super::output::clean;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let e = &l.enterprise;
    let date = |d: Option<chrono::NaiveDate>| {
        d.map_or_else(|| t("无", "none").to_string(), |d| d.to_string())
    };
    let mut s = format!(
        "{} — {}\n",
        t("企业问题困难动态台账", "Enterprise ledger"),
        clean(&e.name)
    );
    let mut field = |k: &str, v: String| {
        if !v.is_empty() {
            s.push_str(&format!("  {k}{}{v}\n", t("：", ": ")));
        }
    };
    field(t("统一社会信用代码", "Credit code"), e.credit_code.clone());
    field(t("所属街镇", "District"), clean(&e.district));
    field(
        t("企业分级", "Grade"),
        l.grade
            .map(|g| t(g.zh(), g.en()).to_string())
            .unwrap_or_default(),
    );
    let vip: Vec<&str> = l.vip_categories.iter().map(|c| t(c.zh(), c.en())).collect();
    field(
        t("重点企业（VIP）", "VIP categories"),
        vip.join(t("、", ", ")),
    );
    field(
        t("联系人", "Contact"),
        format!("{} {}", clean(&e.contact), e.phone)
            .trim()
            .to_string(),
    );
    field(t("最近联系", "Last contact"), date(l.last_contact));
    field(t("最近动态", "Last touched"), date(l.last_touched));
    let c = &l.counts;
    field(
        t("问题", "Issues"),
        if lang.is_en() {
            format!(
                "{} open · {} closed · {} voided · {} overdue · {} reopened",
                c.open, c.closed, c.voided, c.overdue, c.reopened
            )
        } else {
            format!(
                "未办结 {} · 已办结 {} · 已作废 {} · 逾期 {} · 曾重新交办 {}",
                c.open, c.closed, c.voided, c.overdue, c.reopened
            )
        },
    );
    let ev = &l.evaluations;
    let score = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
    field(
        t("评价", "Evaluations"),
        if ev.count == 0 {
            t("暂无", "none yet").to_string()
        } else if lang.is_en() {
            format!(
                "{} · closeness {} · integrity {} · satisfaction {} (averages of 5)",
                ev.count,
                score(ev.closeness),
                score(ev.integrity),
                score(ev.satisfaction)
            )
        } else {
            format!(
                "{} 次 · 政府亲近度 {} · 政府清廉度 {} · 亲清满意度 {}（满分 5）",
                ev.count,
                score(ev.closeness),
                score(ev.integrity),
                score(ev.satisfaction)
            )
        },
    );
    let (open, ended): (Vec<_>, Vec<_>) = l.issues.iter().partition(|i| i.open);
    for (title, list) in [
        (t("未办结问题", "Open issues"), open),
        (t("已办结与作废", "Closed and voided"), ended),
    ] {
        s.push_str(&format!(
            "\n{title}{}{}{}\n",
            t("（", " ("),
            list.len(),
            t("）", ")")
        ));
        if list.is_empty() {
            s.push_str(&format!("  {}\n", t("无", "none")));
        }
        for i in list {
            s.push_str(&issue_lines(i, lang));
        }
    }
    s.push_str(&format!(
        "\n{}{}{}{}\n",
        t("检查报备", "Inspections"),
        t("（", " ("),
        l.inspections.len(),
        t("）", ")")
    ));
    if l.inspections.is_empty() {
        s.push_str(&format!("  {}\n", t("无", "none")));
    }
    for i in &l.inspections {
        let kind = if lang.is_en() {
            i.kind.key()
        } else {
            i.kind.zh()
        };
        let flag = if i.violation {
            t(" · 无扰日违规检查", " · on a no-disturbance day")
        } else {
            ""
        };
        s.push_str(&format!("  {} {} · {kind}{flag}\n", i.date, clean(&i.unit)));
    }
    s
}

/// Two lines per issue: what and where it stands; the deadlines or how it ended.
fn issue_lines(i: &crate::desk::LedgerIssue, lang: Lang) -> String {
    use super::output::clean;
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let unit = i
        .unit
        .as_ref()
        .map_or_else(|| t("未交办", "unassigned").to_string(), |u| clean(&u.name));
    let mut head = format!(
        "  #{} {} {} · {} · {} · {}",
        i.id,
        i.logged_at.format("%Y-%m-%d"),
        clean(&i.category),
        clean(&i.summary),
        unit,
        t(i.status.zh(), i.status.en())
    );
    if i.urgency == Some(crate::domain::deadline::Urgency::Overdue) {
        head.push_str(t(" · 逾期", " · overdue"));
    }
    if i.supervised {
        head.push_str(t(" · 督办", " · supervised"));
    }
    let check = |name: &str, d: &crate::desk::DeadlineCheck| {
        let state = match (d.met, d.done_at) {
            (Some(true), _) => t("按时", "in time"),
            (Some(false), Some(_)) => t("超期完成", "late"),
            (Some(false), None) => t("已超期", "overdue"),
            (None, None) => t("未到期", "pending"),
            (None, Some(_)) => "",
        };
        format!("{name} {} {state}", d.due).trim_end().to_string()
    };
    let detail = match &i.outcome {
        None => format!(
            "{} · {}",
            check(t("对接期限", "contact by"), &i.contact),
            check(t("回复期限", "reply by"), &i.reply)
        ),
        Some(o) => {
            let mut d = format!(
                "{} {}",
                t(o.status.zh(), o.status.en()),
                o.at.map(|a| a.format("%Y-%m-%d").to_string())
                    .unwrap_or_default()
            );
            if !o.text.trim().is_empty() {
                d.push_str(&format!(" · {}", clean(&o.text)));
            }
            if let Some(e) = &o.evaluation {
                d.push_str(&format!(
                    " · {} {}/{}/{}",
                    t(
                        "评价（亲近/清廉/满意）",
                        "evaluation (closeness/integrity/satisfaction)"
                    ),
                    e.closeness,
                    e.integrity,
                    e.satisfaction
                ));
            }
            d
        }
    };
    format!("{head}\n      {detail}\n")
}
