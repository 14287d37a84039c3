//! Every CSV the command line writes, through the real binary: a BOM, the header in the chosen
//! language byte for byte, codes as words, phones and credit codes as text cells (`="…"`), dates
//! as YYYY-MM-DD, cells a spreadsheet would run still neutralised, phones masked unless
//! `--show-pii`.

use std::path::Path;

mod common;
const NOW: &str = "2026-11-20T10:00:00";
const DAIKA: &str = "91440300708461136T";
const CHANGAN: &str = "91110000100003495Y";

fn csv(dir: &Path, args: &[&str]) -> String {
    let o = common::must(dir, NOW, args);
    assert_eq!(&o.stdout[..3], b"\xEF\xBB\xBF", "{args:?}: no BOM");
    String::from_utf8(o.stdout[3..].to_vec()).unwrap()
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// `="VALUE"` as it stands in a CSV record.
fn text_cell(v: &str) -> String {
    format!("\"=\"\"{v}\"\"\"")
}

/// The fixture's enterprises, one assigned phone issue whose contact looks like a formula, and
/// an inspection on a no-disturbance day whose result does too.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::must(
        d,
        NOW,
        &["enterprise", "import", &common::fixture("enterprises.csv")],
    );
    common::must(
        d,
        NOW,
        &[
            "issue",
            "add",
            "--enterprise",
            DAIKA,
            "--category",
            "融资信贷",
            "--text",
            "扩产需流动资金",
            "--channel",
            "phone",
            "--contact",
            "@SUM(A1)",
            "--phone",
            "023-68881234",
        ],
    );
    common::must(d, NOW, &["issue", "assign", "1", "tax"]);
    common::must(
        d,
        NOW,
        &[
            "inspection",
            "add",
            "--unit",
            "market",
            "--enterprise",
            CHANGAN,
            "--date",
            "2026-11-09",
            "--kind",
            "complaint",
            "--exemption",
            "complaint",
            "--inspectors",
            "王强",
            "--result",
            "=HYPERLINK(\"http://x.example\")",
        ],
    );
    dir
}

#[test]
fn issue_list() {
    let dir = store();
    let d = dir.path();
    let zh = csv(d, &["issue", "list", "--format", "csv"]);
    let l = lines(&zh);
    assert_eq!(
        l[0],
        "编号,企业,统一社会信用代码,重点企业,主办单位,状态,问题类别,来源渠道,联系人,联系电话,登记时间,对接期限,答复期限,超期,督办,督办级别,督办期限,提级督办,期限暂定"
    );
    // Status, channel, unit and flags as words; the contact neutralised; the phone masked.
    assert_eq!(
        l[1],
        format!(
            "1,重庆戴卡捷力轮毂制造有限公司,{},是,区税务局,已交办,融资信贷,来电,\"'@SUM(A1)\",{},2026-11-20 10:00:00,2026-11-24,2026-11-27,否,否,,,,否",
            text_cell(DAIKA),
            text_cell("023*****1234")
        )
    );
    assert_eq!(l.len(), 2);
    let en = csv(d, &["--lang", "en", "issue", "list", "--format", "csv"]);
    let l = lines(&en);
    assert_eq!(
        l[0],
        "id,enterprise,credit_code,vip,unit,status,category,channel,contact,phone,logged_at,contact_due,reply_due,overdue,supervised,supervision_level,supervision_due,escalation,provisional"
    );
    assert!(
        l[1].contains(",yes,Tax Bureau,assigned,融资信贷,phone,\"'@SUM(A1)\","),
        "{}",
        l[1]
    );
    assert!(!l[1].contains(",tax,"), "no unit id: {}", l[1]);
    let full = csv(d, &["issue", "list", "--format", "csv", "--show-pii"]);
    assert!(full.contains(&text_cell("023-68881234")), "{full}");
}

#[test]
fn inspection_list() {
    let dir = store();
    let d = dir.path();
    let zh = csv(d, &["inspection", "list", "--format", "csv"]);
    let l = lines(&zh);
    assert_eq!(
        l[0],
        "编号,检查日期,检查单位,企业,统一社会信用代码,检查类型,例外情形,报备方,检查人员,检查结果,报备时间,报备人,无扰日违规,频繁检查,对应报备编号,重复报备,30天内检查次数"
    );
    assert_eq!(
        l[1],
        format!(
            "1,2026-11-09,区市场监管局,重庆长安汽车零部件配套有限公司,{},投诉举报,投诉举报,单位,王强,\"'=HYPERLINK(\"\"http://x.example\"\")\",2026-11-20 10:00:00,测试员,否,否,,否,1",
            text_cell(CHANGAN)
        )
    );
    let en = csv(
        d,
        &["--lang", "en", "inspection", "list", "--format", "csv"],
    );
    let l = lines(&en);
    assert_eq!(
        l[0],
        "id,date,unit,enterprise,credit_code,kind,exemption,by,inspectors,result,filed_at,filed_by,violation,frequent,matched,duplicate,inspections_30d"
    );
    assert!(
        l[1].contains(",complaint,complaint,unit,王强,\"'=HYPERLINK(")
            && l[1].ends_with(",no,no,,no,1"),
        "{}",
        l[1]
    );
    assert!(!l[1].contains(",market,"), "no unit id: {}", l[1]);
}

#[test]
fn enterprise_export_in_both_languages_reads_back() {
    let dir = store();
    let d = dir.path();
    let zh = csv(d, &["enterprise", "export"]);
    let l = lines(&zh);
    assert_eq!(
        l[0],
        "统一社会信用代码,企业名称,所属街镇,企业分级,重点企业类别,联系人,联系电话"
    );
    assert!(
        l.contains(
            &format!(
                "{},重庆戴卡捷力轮毂制造有限公司,西彭镇,龙头企业,规上工业企业;高新技术企业,张三,{}",
                text_cell(DAIKA),
                text_cell("138****5678")
            )
            .as_str()
        ),
        "{zh}"
    );
    let en = csv(d, &["--lang", "en", "enterprise", "export", "--show-pii"]);
    let l = lines(&en);
    assert_eq!(
        l[0],
        "credit_code,name,district,grade,vip_categories,contact,phone"
    );
    assert!(
        l.contains(
            &format!(
        "{},重庆戴卡捷力轮毂制造有限公司,西彭镇,leading,above-scale industrial;high-tech,张三,{}",
        text_cell(DAIKA),
        text_cell("13812345678")
    )
            .as_str()
        ),
        "{en}"
    );
    // Both languages' full exports import into an empty store and give the same enterprises.
    let full_zh =
        String::from_utf8(common::must(d, NOW, &["enterprise", "export", "--show-pii"]).stdout)
            .unwrap();
    for (name, file) in [("zh.csv", &full_zh), ("en.csv", &format!("\u{feff}{en}"))] {
        let f = d.join(name);
        std::fs::write(&f, file).unwrap();
        let other = tempfile::tempdir().unwrap();
        common::must(
            other.path(),
            NOW,
            &["enterprise", "import", f.to_str().unwrap()],
        );
        let again = common::must(other.path(), NOW, &["enterprise", "export", "--show-pii"]).stdout;
        assert_eq!(String::from_utf8(again).unwrap(), full_zh, "{name}");
    }
}

#[test]
fn an_enterprise_name_that_is_a_formula_stays_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = d.join("f.csv");
    std::fs::write(
        &f,
        format!("credit_code,name,district,grade,vip_categories,contact,phone\n{DAIKA},\"=1+1\",,,,\"-2\",13812345678\n"),
    )
    .unwrap();
    common::must(d, NOW, &["enterprise", "import", f.to_str().unwrap()]);
    let out = csv(d, &["enterprise", "export"]);
    assert_eq!(
        lines(&out)[1],
        format!(
            "{},\"'=1+1\",,,,\"'-2\",{}",
            text_cell(DAIKA),
            text_cell("138****5678")
        )
    );
}

#[test]
fn report_scorecard() {
    let dir = store();
    let d = dir.path();
    let zh = csv(d, &["report", "--format", "csv"]);
    let l = lines(&zh);
    assert_eq!(
        l[0],
        "排名,单位,受理,交办,对接期限内应对接,按时对接,按时对接率,答复期限内应答复,按时答复,按时答复率,办结,重新打开,转入,转出,退回,平均对接工作日,平均答复工作日,评价数,亲近度,清廉度,满意度,检查次数,无扰日违规,综合得分"
    );
    // Units by their names, never their ids.
    assert!(l[1..].iter().any(|r| r.contains(",区税务局,1,1,")), "{zh}");
    assert!(!l[1..].iter().any(|r| r.contains(",tax,")), "{zh}");
    let en = csv(d, &["--lang", "en", "report", "--format", "csv"]);
    assert_eq!(
        lines(&en)[0],
        "rank,unit,received,assigned,contact_due,contact_on_time,contact_on_time_pct,reply_due,reply_on_time,reply_on_time_pct,closed,reopened,transfers_in,transfers_out,returns,avg_workdays_to_contact,avg_workdays_to_reply,evaluations,closeness,integrity,satisfaction,inspections,violations,score"
    );
    assert!(en.contains(",Tax Bureau,1,1,"), "{en}");
}

#[test]
fn account_list_is_csv_when_asked() {
    let dir = store();
    let d = dir.path();
    common::must(
        d,
        NOW,
        &[
            "account",
            "add",
            "wang",
            "--role",
            "unit",
            "--unit",
            "tax",
            "--display",
            "=王",
        ],
    );
    let zh = csv(d, &["account", "list", "--format", "csv"]);
    let l = lines(&zh);
    assert_eq!(l[0], "登录名,角色,单位,姓名,状态,密钥");
    assert!(
        l.contains(&"wang,牵头单位联络员,区税务局,\"'=王\",,0"),
        "{zh}"
    );
    let en = csv(d, &["--lang", "en", "account", "list", "--format", "csv"]);
    assert_eq!(lines(&en)[0], "login,role,unit,name,state,keys");
}
