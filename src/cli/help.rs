//! Help text in the user's language. The English help is the doc comments on the clap
//! definitions; the Chinese help is this one table, keyed by command path and argument id,
//! applied to the same definitions. A test walks the whole command tree: every command and
//! every argument has help in both languages.

use clap::CommandFactory;

use super::Cli;
use crate::i18n::Lang;

/// (command path, argument id or "" for the command itself, Chinese help).
/// The path is the subcommand names after `dutydesk`, space-separated ("" is the top level).
const ZH: &[(&str, &str, &str)] = &[
    ("", "", "政企交流平台值班台：登记企业问题、交办牵头单位、跟踪期限、交接班"),
    ("", "data", "数据目录（默认为系统数据目录；环境变量 DUTYDESK_DATA）"),
    ("", "lang", "界面语言：zh（默认）或 en"),
    ("", "keymap", "界面键位：名称（default、vim）或 TOML 文件路径"),
    ("", "officer", "命令行所作修改记在谁名下（环境变量 DUTYDESK_OFFICER；默认为登录名）"),
    ("", "key_file", "放在数据目录之外的封印密钥：每条事件用它封印并核验（环境变量 DUTYDESK_KEY_FILE；用 `dutydesk key generate 文件` 生成）"),
    // Shared by every subcommand that has them, unless a line below says otherwise.
    ("*", "show_pii", "显示完整电话号码（默认遮盖为 138****5678）"),
    ("*", "format", "输出格式：table 供人阅读；json 供脚本使用"),
    ("*", "id", "问题编号（12 或 #12）"),
    ("*", "reason", "原因（记入问题的历史）"),
    ("*", "note", "备注（记入问题的历史）"),
    ("*", "name", "账号的登录名"),
    ("demo", "", "生成（如需要）并打开一个仿真演示数据库"),
    ("demo", "seed", "生成器的随机种子：同一种子生成同样的数据"),
    ("demo", "enterprises", "除 430 家重点企业外再生成的企业数"),
    ("demo", "issues", "生成的问题数"),
    ("demo", "no_tui", "只生成数据并打印概况，不打开界面"),
    ("demo", "reset", "把已有的演示数据移到一旁（保留并改名），重新生成"),
    ("demo", "keymap", "界面键位：名称（default、vim）或 TOML 文件路径"),
    ("enterprise", "", "企业：导入、导出、查找、台账、登记"),
    ("enterprise import", "", "从 CSV 文件导入企业（UTF-8，可带 BOM，须有表头）；有一行出错则整个文件不导入；已登记的企业只有加 --update 才会修改"),
    ("enterprise import", "file", "CSV 文件（列：credit_code,name,district,grade,vip_categories,contact,phone，或中文表头 统一社会信用代码,企业名称,所属街镇,企业分级,重点企业类别,联系人,联系电话）"),
    ("enterprise import", "update", "用文件中的行替换已登记的同一信用代码的企业"),
    ("enterprise export", "", "导出全部企业（电话默认遮盖；遮盖后的导出不能再导入）"),
    ("enterprise export", "format", "输出格式：csv 供表格软件和再导入；json 供脚本使用"),
    ("enterprise search", "", "按名称、拼音、拼音首字母或信用代码查找企业"),
    ("enterprise search", "query", "名称或其一部分、拼音、拼音首字母或统一社会信用代码"),
    ("enterprise search", "limit", "最多显示多少条（1–1000）"),
    ("enterprise show", "", "企业问题困难动态台账：企业信息、分级、重点类别、全部问题（未办结和已办结，含主办单位和结果）、检查报备、最近联系、评价"),
    ("enterprise show", "enterprise", "企业：完整名称、只匹配一家的名称片段、拼音或拼音首字母，或 18 位统一社会信用代码"),
    ("enterprise show", "format", "输出格式：text 供人阅读；json 供脚本使用"),
    ("enterprise add", "", "登记一家企业（或修改其信息）"),
    ("enterprise add", "code", "18 位统一社会信用代码"),
    ("enterprise add", "name", "企业登记名称"),
    ("enterprise add", "district", "所属街镇"),
    ("enterprise add", "grade", "企业分级：龙头企业、骨干企业、成长型企业或困难企业（可留空）"),
    ("enterprise add", "vip", "重点企业类别，用 ; 分隔"),
    ("enterprise add", "contact", "企业联系人"),
    ("enterprise add", "phone", "联系电话（手机或座机）"),
    ("issue", "", "问题：登记、交办、转办、签收、退回、对接、答复、办结、评价、重新交办、作废、督办、备注、列表、详情"),
    ("issue add", "", "登记新问题"),
    ("issue add", "enterprise", "企业名称、信用代码，或只匹配一家的查找词"),
    ("issue add", "category", "问题类别（融资信贷、用地用房等，为配置中的类别之一）"),
    ("issue add", "text", "问题描述"),
    ("issue add", "channel", "来源：walk-in（来访）、phone（来电）、meeting（座谈会）、online（线上）、inspection-report（码上报备）、residency（驻企干部，须同时给 --placement）"),
    ("issue add", "contact", "本问题的企业联系人"),
    ("issue add", "phone", "联系人电话（手机或座机）"),
    ("issue assign", "", "把问题交办给一个牵头单位"),
    ("issue assign", "unit", "主办单位：编号或名称"),
    ("issue assign", "helpers", "协办单位，用逗号分隔"),
    ("issue transfer", "", "把问题转办给另一单位（须写原因）"),
    ("issue transfer", "unit", "接手的单位：编号或名称"),
    ("issue receive", "", "主办单位签收问题：已收到交办"),
    ("issue return", "", "单位把问题退回值班台（须写原因）"),
    ("issue contact", "", "记录单位已与企业对接"),
    ("issue reply", "", "记录单位的答复和办理结果"),
    ("issue reply", "text", "单位的答复：做了什么、结果如何"),
    ("issue resolve", "", "已答复的问题办结销号"),
    ("issue evaluate", "", "记录企业评价（每项 1–5 分；有一项 ≤ 2 分须写意见并重新交办）"),
    ("issue evaluate", "closeness", "政府亲近度（1–5）"),
    ("issue evaluate", "integrity", "政府清廉度（1–5）"),
    ("issue evaluate", "satisfaction", "亲清满意度（1–5）"),
    ("issue evaluate", "comment", "企业意见（有一项 ≤ 2 分时必填）"),
    ("issue reopen", "", "重新交办已办结的问题（须写原因）"),
    ("issue void", "", "作废问题（须写原因；仍保留在历史中）"),
    ("issue supervise", "", "对问题督办（须写原因）"),
    ("issue supervise", "level", "督办级别：general 一般督办 | key 重点督办 | escalated 提级督办"),
    ("issue supervise", "due", "督办期限：日期（YYYY-MM-DD，须晚于今天）或工作日数"),
    ("issue note", "", "在问题的历史中加一条备注"),
    ("issue note", "text", "备注内容"),
    ("issue list", "", "列出问题"),
    ("issue list", "status", "状态：logged、assigned、in_progress、replied、closed、voided，或 open（未办结）"),
    ("issue list", "unit", "主办单位：编号或名称"),
    ("issue list", "vip", "只列重点企业的问题"),
    ("issue list", "overdue", "只列已超过期限的问题"),
    ("issue list", "supervised", "只列督办中的问题"),
    ("issue list", "text", "企业（名称、全拼、拼音首字母或信用代码，同登记时的企业查找），或类别、描述中的文字，或问题编号"),
    ("issue list", "supervision_overdue", "只列督办期限已过、仍未办结的问题"),
    ("issue list", "escalated", "只列应提级督办的问题（重新打开或转办 3 次及以上）"),
    ("issue list", "callbacks", "待回访：已答复、待企业评价的问题，答复最早的在前"),
    ("issue list", "category", "问题类别（config.toml 中的类别名）"),
    ("issue list", "channel", "来源渠道：walk-in 来访 | phone 来电 | meeting 座谈会 | online 线上 | inspection-report 码上报备 | residency 驻企干部"),
    ("issue list", "from", "登记日期不早于（YYYY-MM-DD）"),
    ("issue list", "to", "登记日期不晚于（YYYY-MM-DD）"),
    ("issue list", "sort", "排序：deadline 按期限 | age 按登记时间（新的在前）| enterprise 按企业名拼音；不写则按编号"),
    ("issue list", "format", "输出格式：table 供人阅读；json 或 csv 供脚本和表格软件"),
    ("issue show", "", "显示一个问题及其全部历史"),
    ("handover", "", "交接班记录：当前班次的草稿、已签退的记录，或一段时间的记录"),
    ("handover", "shift", "某一班次的交接记录：已签退的按原样，未签退的为草稿"),
    ("handover", "list", "改为列出全部班次（编号、值班人员、时间、签退和接班确认）"),
    ("handover", "since", "从此时起的交接记录草稿（YYYY-MM-DDTHH:MM[:SS] 或 YYYY-MM-DD）"),
    ("handover", "format", "输出格式：md（Markdown）；text 供打印签字（每行不超过 80 列）；json 含全部内容"),
    ("handover", "full", "打印完整记录（全部到期、逾期、督办、待回访和 VIP 事项），而不是简表"),
    ("report", "", "一段时间内各牵头单位的考核表和平台总计"),
    ("report", "from", "起始日期（YYYY-MM-DD；默认为本月 1 日）"),
    ("report", "to", "结束日期，含当天（YYYY-MM-DD；默认为今天）"),
    ("report", "unit", "只看这个牵头单位（编号或名称）"),
    ("report", "format", "输出格式：md 供人阅读；json 供脚本；csv 每单位一行，供表格软件"),
    ("issue add", "placement", "驻企干部（四帮一体验）在此驻企安排中收集的问题：渠道记为驻企干部，并关联该安排和 --cadre"),
    ("issue add", "cadre", "收集该问题的驻企干部姓名（须在 --placement 中）"),
    ("issue list", "legacy", "只列驻企遗留：驻企期间收集、驻企结束后仍未办结的问题"),
    ("residency", "", "四帮一体验驻企工作：期次、企业点餐、干部配餐、五个一、企业评分、统计"),
    ("residency round", "", "驻企期次：新建、收官、列表"),
    ("residency round add", "", "新建一期（或修改尚未收官的一期）"),
    ("residency round add", "no", "期次（第几期）"),
    ("residency round add", "start", "进驻企业的第一天（YYYY-MM-DD）"),
    ("residency round add", "end", "驻企最后一天（默认为开始后两周）"),
    ("residency round add", "organisers", "组织单位，用逗号分隔（如 区委组织部,区工商联）"),
    ("residency round add", "title", "本期主题"),
    ("residency round close", "", "本期收官：统计定稿，企业评分报送组织部"),
    ("residency round close", "no", "期次"),
    ("residency round close", "note", "收官说明（记入历史）"),
    ("residency round list", "", "列出各期"),
    ("residency round list", "format", "输出格式：table 供人阅读；json 或 csv 供脚本和表格软件"),
    ("residency order", "", "企业点餐：走访时记录企业需要的部门或点名的干部"),
    ("residency order", "round", "期次"),
    ("residency order", "enterprise", "企业名称、信用代码，或只匹配一家的查找词"),
    ("residency order", "units", "企业需要的部门，用逗号分隔（单位编号或名称）"),
    ("residency order", "cadres", "企业点名的干部，用逗号分隔"),
    ("residency order", "needs", "企业提出的需求"),
    ("residency order", "visited", "走访日期（默认今天）"),
    ("residency place", "", "配餐：选派两名干部进驻一家企业"),
    ("residency place", "round", "期次"),
    ("residency place", "enterprise", "企业名称、信用代码，或只匹配一家的查找词"),
    ("residency place", "cadre", "干部：姓名/单位/职级（职级可省略）；两人一组，写两次"),
    ("residency void-placement", "", "撤销误登的驻企安排（保留在历史中）"),
    ("residency void-placement", "placement", "驻企安排编号"),
    ("residency placements", "", "列出驻企安排及每名干部的五个一进度"),
    ("residency placements", "round", "只列该期"),
    ("residency placements", "enterprise", "只列该企业的驻企安排"),
    ("residency placements", "format", "输出格式：table 供人阅读；json 或 csv 供脚本和表格软件"),
    ("residency show", "", "一个驻企安排：干部、五个一记录、收集的问题；管理员和督办人员还可看到企业评分"),
    ("residency show", "placement", "驻企安排编号"),
    ("residency match", "", "本期点餐与配餐核对：未配餐的企业、点名干部未派到、重复安排"),
    ("residency match", "round", "期次"),
    ("residency policy", "", "五个一：为企业落实一项优惠政策及金额"),
    ("residency policy", "placement", "驻企安排编号（`dutydesk residency placements` 可查）"),
    ("residency policy", "cadre", "干部姓名"),
    ("residency policy", "name", "政策名称"),
    ("residency policy", "amount", "涉及金额：元（如 120000）或万元（如 12万）"),
    ("residency suggestion", "", "五个一：干部提出的一条建议"),
    ("residency suggestion", "placement", "驻企安排编号"),
    ("residency suggestion", "cadre", "干部姓名"),
    ("residency suggestion", "suggestion", "建议内容"),
    ("residency line-day", "", "五个一：干部在生产一线工作的一天"),
    ("residency line-day", "placement", "驻企安排编号"),
    ("residency line-day", "cadre", "干部姓名"),
    ("residency line-day", "date", "日期（须在本期之内）"),
    ("residency experience", "", "五个一：已收到干部的体会文章"),
    ("residency experience", "placement", "驻企安排编号"),
    ("residency experience", "cadre", "干部姓名"),
    ("residency experience", "title", "文章标题"),
    ("residency void-entry", "", "作废一条误登的五个一记录（编号见 `dutydesk residency show`）"),
    ("residency void-entry", "placement", "驻企安排编号"),
    ("residency void-entry", "cadre", "干部姓名"),
    ("residency void-entry", "entry", "记录编号"),
    ("residency void-entry", "reason", "作废原因（记入历史）"),
    ("residency extend", "", "企业申请加期"),
    ("residency extend", "placement", "驻企安排编号"),
    ("residency extend", "reason", "企业的说法"),
    ("residency score", "", "企业对干部的背靠背评分（管理员录入）：各项 1–5 分及评语"),
    ("residency score", "placement", "驻企安排编号"),
    ("residency score", "cadre", "干部姓名"),
    ("residency score", "score", "依次为工作态度、工作作风、履职能力、工作成效，各 1–5 分，用逗号分隔（如 5,4,5,5）"),
    ("residency score", "comment", "企业评语"),
    ("residency checklist", "", "每名干部的五个一；--behind 只列尚未完成的"),
    ("residency checklist", "round", "只列该期"),
    ("residency checklist", "behind", "只列五个一尚未完成的干部"),
    ("residency checklist", "format", "输出格式：table 供人阅读；json 或 csv 供脚本和表格软件"),
    ("residency scores", "", "企业评分，报送组织部（仅管理员和督办人员）"),
    ("residency scores", "round", "只列该期"),
    ("residency scores", "format", "输出格式：csv（UTF-8 带 BOM，供组织部）、json 或 table"),
    ("residency report", "", "驻企工作统计：分期和合计，分单位"),
    ("residency report", "round", "只统计该期"),
    ("residency report", "format", "输出格式：md 供人阅读；json 或 csv 供脚本和表格软件"),
    ("inspection", "", "检查报备（码上报备）和企业无扰日：登记、列表"),
    ("inspection add", "", "登记一次对企业的检查"),
    ("inspection add", "unit", "检查单位：编号或名称，也可以是其他部门的名称"),
    ("inspection add", "enterprise", "被检查企业：名称、信用代码，或只匹配一家的查找词"),
    ("inspection add", "date", "检查日期（YYYY-MM-DD；不能晚于今天，也不能早于一年前）"),
    ("inspection add", "kind", "检查类型：planned（双随机）、complaint（投诉举报）、safety（安全事故）、order（上级交办）、other（其他）"),
    ("inspection add", "exemption", "无扰日的例外情形：safety、complaint、order、other"),
    ("inspection add", "by", "报备方：unit（检查单位）或 enterprise（企业自报）"),
    ("inspection add", "inspectors", "检查人员"),
    ("inspection add", "result", "检查结果"),
    ("inspection list", "", "列出检查报备"),
    ("inspection list", "violations", "只列无扰日且无例外情形的检查"),
    ("inspection list", "unit", "检查单位：编号或名称，或其他部门的名称"),
    ("inspection list", "format", "输出格式：table 供人阅读；json 或 csv 供脚本和表格软件"),
    ("calendar", "", "按国家法定节假日和调休计算工作日"),
    ("calendar is-workday", "", "某天是否为工作日（true 或 false）"),
    ("calendar is-workday", "date", "日期（YYYY-MM-DD）"),
    ("calendar is-workday", "format", "text，或 json（{date, workday, provisional, holiday}）"),
    ("calendar add-workdays", "", "DATE 之后第 N 个工作日（DATE 当天不算）"),
    ("calendar add-workdays", "date", "起算日期（YYYY-MM-DD）"),
    ("calendar add-workdays", "n", "工作日数（负数为往前数）"),
    ("calendar add-workdays", "format", "text，或 json（{date, n, provisional}）"),
    ("verify", "", "核验日志（哈希链、批次、封印）、见证值和视图内容"),
    ("verify", "witnesses", "交接记录或报表上打印的日志链头（SEQ:HASH，HASH 至少 16 位十六进制）：日志必须仍然完整包含这一段；可重复"),
    ("verify", "witness_file", "含日志链头的文件（任何文本：其中每个 SEQ:HASH 都会核验，保存的交接记录或报表即可）"),
    ("verify", "json", "以 JSON 输出核验结果"),
    ("verify", "postgres", "同时与市级 PostgreSQL 中的副本比对（地址写法同 sync）：市级所存每条事件都须与本地日志逐条哈希一致"),
    ("sync", "", "把本区县的日志发送到市级 PostgreSQL（只发送市级尚未存有的部分）"),
    ("sync", "postgres", "市级 PostgreSQL 地址：postgres://用户@主机:端口/数据库?sslmode=require（密码取自 PGPASSWORD 或 ~/.pgpass，不写在命令行上；环境变量 DUTYDESK_POSTGRES）"),
    ("sync", "batch", "每个事务发送的事件数"),
    ("city", "", "市级汇总：从市级 PostgreSQL 出 `city report`"),
    ("city report", "", "按区县、按牵头单位（各区县合计）统计办理情况，在市级 PostgreSQL 中计算，口径与区县办理情况表相同"),
    ("city report", "postgres", "市级 PostgreSQL 地址（写法同 sync；环境变量 DUTYDESK_POSTGRES）"),
    ("city report", "from", "起始日期（YYYY-MM-DD；默认为本月 1 日）"),
    ("city report", "to", "结束日期，含当天（YYYY-MM-DD；默认为今天）"),
    ("city report", "district", "只看这个区县（6 位行政区划代码）"),
    ("city report", "format", "输出格式：md 供人阅读；json 供脚本使用；csv 每个区县每个单位一行，供表格软件使用"),
    ("key", "", "封印密钥：`key generate 文件` 生成一个"),
    ("key generate", "", "在文件中写入新的随机封印密钥（仅本人可读；不覆盖已有文件）。请放在数据目录之外，再用 --key-file 或 DUTYDESK_KEY_FILE 指定"),
    ("key generate", "file", "密钥文件的位置（新文件，在数据目录之外）"),
    ("rebuild", "", "从日志重建视图（当前记录和索引）"),
    ("backup", "", "把日志复制到一个新目录"),
    ("backup", "path", "备份用的新目录"),
    ("restore", "", "用备份替换数据库的记录（当前日志保留在旁边）"),
    ("restore", "path", "备份所在目录"),
    ("bench", "", "在生成的数据库上测量性能指标（默认 100,000 个问题）"),
    ("bench", "issues", "生成的问题数"),
    ("bench", "sizes", "依次测量几种规模并并排列出"),
    ("bench", "enterprises", "生成的企业数"),
    ("bench", "json", "以 JSON 输出结果"),
    ("bench", "postgres", "改为测量市级部分：向此 PostgreSQL 同步的速度（事件/秒），以及 10 个同规模区县的全市月报耗时（区县代码 990001–990010，测完删除，不动其他数据）"),
    ("bench", "serve", "测量多人共用的值班台（服务器和会话）"),
    ("bench", "serve_seconds", "共用值班台测量的时长（秒）"),
    ("bench", "serve_worker", "（内部使用）测量中的一个会话进程"),
    ("account", "", "共用值班台的账号：添加、列表、停用、添加密钥"),
    ("account add", "", "添加账号或修改其角色、单位、姓名（或重新启用）"),
    ("account add", "name", "登录名（ssh 登录名@主机）：字母、数字、`.`、`_`、`-`"),
    ("account add", "role", "角色：desk（值班人员）、unit（牵头单位联络员）、supervisor（督办）、admin（管理员）"),
    ("account add", "unit", "unit 角色所属的牵头单位（编号或名称）"),
    ("account add", "display", "显示的姓名"),
    ("account add", "key", "该账号的 OpenSSH 公钥文件"),
    ("account add", "password_stdin", "从标准输入读入密码"),
    ("account list", "", "列出账号"),
    ("account disable", "", "停用账号：不能再登录（历史保留）"),
    ("account key", "", "账号的密钥"),
    ("account key add", "", "为账号登记一个公钥"),
    ("account key add", "file", "OpenSSH 公钥文件（ssh-ed25519 … 或 ssh-rsa …）"),
    ("serve", "", "运行共用值班台：一个进程掌管数据库，值班人员、牵头单位和督办通过 SSH 使用（本机命令经数据目录中的套接字）"),
    ("serve", "listen", "监听地址和端口（默认 127.0.0.1:2222，仅本机）"),
    ("serve", "fingerprint", "打印主机密钥指纹后退出"),
    ("serve", "idle_minutes", "空闲多少分钟后断开会话"),
    ("serve", "max_failures", "锁定前允许的登录失败次数"),
    ("serve", "lockout_seconds", "锁定时长（秒）"),
    ("serve", "postgres", "把每次提交实时发送到市级 PostgreSQL（写法同 sync）：提交后数秒内到达；PostgreSQL 不可用时照常办公，恢复后自动补发"),
    ("completions", "", "输出 shell 补全脚本（bash、zsh、fish、powershell、elvish）"),
    ("completions", "shell", "为哪种 shell：bash、zsh、fish、powershell 或 elvish"),
    ("man", "", "输出手册页（roff）；加 --out 目录 时每个子命令一页"),
    ("man", "out", "把每个命令和子命令的手册页写入此目录（dutydesk.1、dutydesk-issue-add.1 等）"),
];

/// The command tree with its help in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Zh => localize(cmd, ""),
    }
}

/// The Chinese help of a command (`id` "") or argument: its own line, else the shared one
/// (`*`) for an argument.
fn zh(path: &str, id: &str) -> Option<&'static str> {
    let find = |p: &str| {
        ZH.iter()
            .find(|(tp, ti, _)| *tp == p && *ti == id)
            .map(|(_, _, t)| *t)
    };
    find(path).or_else(|| (!id.is_empty()).then(|| find("*")).flatten())
}

fn localize(mut cmd: clap::Command, path: &str) -> clap::Command {
    if let Some(t) = zh(path, "") {
        cmd = cmd.about(t).long_about(None::<&str>);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(t) = zh(path, &id) {
            cmd = cmd.mut_arg(id, |a| {
                let heading = if a.is_positional() {
                    "参数"
                } else {
                    "选项"
                };
                a.help(t).long_help(None::<&str>).help_heading(heading)
            });
        }
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name, |s| localize(s, &sub_path));
    }
    // clap's own -h and -V, in Chinese too.
    cmd = cmd.disable_help_flag(true).arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help("显示帮助")
            .help_heading("选项"),
    );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    cmd.subcommand_help_heading("命令")
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument below `cmd`, as (path, id, help) — id "" for a command.
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String, Option<String>)>) {
        out.push((
            path.to_string(),
            String::new(),
            cmd.get_about().map(|s| s.to_string()),
        ));
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            // clap's own --help and --version are described by clap.
            if id == "help" || id == "version" {
                continue;
            }
            if a.is_global_set() && !path.is_empty() {
                continue;
            }
            out.push((
                path.to_string(),
                id.to_string(),
                a.get_help().map(|s| s.to_string()),
            ));
        }
        for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let p = if path.is_empty() {
                s.get_name().to_string()
            } else {
                format!("{path} {}", s.get_name())
            };
            walk(s, &p, out);
        }
    }

    fn all(lang: Lang) -> Vec<(String, String, Option<String>)> {
        let mut cmd = command(lang);
        cmd.build();
        let mut v = Vec::new();
        walk(&cmd, "", &mut v);
        v
    }

    #[test]
    fn every_command_and_argument_has_english_help() {
        let missing: Vec<String> = all(Lang::En)
            .into_iter()
            .filter(|(_, _, h)| h.as_deref().is_none_or(|h| h.trim().is_empty()))
            .map(|(p, id, _)| format!("dutydesk {p} {id}"))
            .collect();
        assert!(missing.is_empty(), "no help text: {missing:#?}");
    }

    #[test]
    fn every_command_and_argument_has_chinese_help() {
        let missing: Vec<String> = all(Lang::Zh)
            .into_iter()
            .filter(|(p, id, _)| zh(p, id).is_none())
            .map(|(p, id, _)| format!("(\"{p}\", \"{id}\", \"\"),"))
            .collect();
        assert!(
            missing.is_empty(),
            "not in the table:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn the_table_names_only_what_exists() {
        let known: Vec<(String, String)> = all(Lang::En)
            .into_iter()
            .map(|(p, id, _)| (p, id))
            .collect();
        for (p, id, t) in ZH {
            assert!(
                known
                    .iter()
                    .any(|(kp, kid)| (kp == p || *p == "*") && kid == id),
                "({p:?}, {id:?}) is in the table but not a command or argument"
            );
            assert!(!t.trim().is_empty());
        }
    }

    #[test]
    fn help_is_chinese_by_default_and_english_on_request() {
        let zh_help = command(Lang::Zh).render_help().to_string();
        assert!(
            zh_help.contains("数据目录") && zh_help.contains("用法："),
            "{zh_help}"
        );
        let en_help = command(Lang::En).render_help().to_string();
        assert!(en_help.contains("Data directory"), "{en_help}");
    }
}
