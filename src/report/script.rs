//! A desk in a temporary directory driven by commands at chosen times: the fixtures of the
//! report tests.

use chrono::NaiveDateTime;

use crate::desk::{Command, Desk, NewIssue};
use crate::domain::{Channel, VipCategory};

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

pub struct Script {
    _dir: tempfile::TempDir,
    pub desk: Desk,
    /// Credit codes of the registered enterprises; only the first is a VIP.
    pub codes: Vec<String>,
}

impl Script {
    /// `n` enterprises registered at `when`.
    pub fn new(n: usize, when: &str) -> Script {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(dir.path()).unwrap();
        let mut ents = crate::bench::synthetic_enterprises(n, 3);
        for e in ents.iter_mut() {
            e.vip.clear();
        }
        ents[0].vip = vec![VipCategory::HighTech];
        let codes = ents.iter().map(|e| e.credit_code.clone()).collect();
        desk.execute(
            "甲",
            at(when),
            Command::ImportEnterprises { enterprises: ents },
        )
        .unwrap();
        Script {
            _dir: dir,
            desk,
            codes,
        }
    }

    /// Runs a command as 张敏; returns what it created.
    pub fn run(&mut self, when: &str, cmd: Command) -> Option<u64> {
        self.desk.execute("张敏", at(when), cmd).unwrap().created
    }

    pub fn log(&mut self, when: &str, ent: usize, text: &str) -> u64 {
        let issue = NewIssue {
            enterprise: self.codes[ent].clone(),
            category: "融资信贷".into(),
            channel: Channel::WalkIn,
            contact_name: "王经理".into(),
            phone: "13800138000".into(),
            description: text.into(),
        };
        self.run(when, Command::LogIssue { issue }).unwrap()
    }

    pub fn assign(&mut self, when: &str, id: u64, unit: &str) {
        let unit = unit.into();
        self.run(
            when,
            Command::Assign {
                id,
                unit,
                helpers: vec![],
                reason: String::new(),
            },
        );
    }
}
