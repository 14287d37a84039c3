//! Intake: the form, the enterprise picker (name, pinyin, initials or credit code), a new
//! enterprise typed in at the desk, and the similar-open-issue check.

use super::*;

impl App {
    pub(super) fn start_intake(&mut self) {
        let cats = self.data.categories.clone();
        let channels: Vec<String> = Channel::ALL
            .iter()
            .map(|c| {
                if self.en() {
                    c.key().to_string()
                } else {
                    c.zh().to_string()
                }
            })
            .collect();
        self.intake = Intake {
            form: Form::new(vec![
                Field::text(S::ENTERPRISE, ""),
                Field::choice(S::CATEGORY, cats, 0),
                Field::choice(S::CHANNEL, channels, 0),
                Field::text(S::CONTACT, ""),
                Field::text(S::PHONE, ""),
                Field::multiline(S::DESCRIPTION),
            ]),
            ..Intake::default()
        };
        if let Some(d) = self.parked.intake.take() {
            d.apply(&mut self.intake.form);
            self.intake.candidates = d.chosen.iter().cloned().collect();
            self.intake.chosen = d.chosen;
            self.message = Some((S::DRAFT_RESTORED.get(self.lang).into(), false));
        }
        self.go(Screen::Intake);
    }

    pub(super) fn choose_candidate(&mut self) {
        if let Some(c) = self.intake.candidates.get(self.intake.selected).cloned() {
            if let Some(f) = self.intake.form.fields.get_mut(0) {
                *f = Field::text(S::ENTERPRISE, &c.name);
            }
            self.intake.chosen = Some(c);
        }
    }

    pub(super) fn submit_intake(&mut self) -> Vec<Effect> {
        if self.intake.form.focus == 0 && self.intake.chosen.is_none() {
            if self.intake.candidates.is_empty() {
                let q = self.intake.form.value(0);
                let looks_like_code = q.chars().filter(|c| c.is_ascii_alphanumeric()).count() >= 15;
                let mut vip = vec![S::NONE.get(self.lang).to_string()];
                vip.extend(
                    VipCategory::ALL
                        .iter()
                        .map(|c| self.lang.pick(c.zh(), c.en()).to_string()),
                );
                self.overlay = Some(Overlay::NewEnterprise(Form::new(vec![
                    Field::text(S::CREDIT_CODE, if looks_like_code { q.trim() } else { "" }),
                    Field::text(S::NAME, if looks_like_code { "" } else { q.trim() }),
                    Field::text(S::DISTRICT, ""),
                    Field::choice(S::VIP, vip, 0),
                ])));
                return vec![];
            }
            self.choose_candidate();
            self.intake.form.next();
            return vec![];
        }
        let Some(ent) = self.intake.chosen.clone() else {
            self.intake.form.error = Some(
                self.lang
                    .pick("请先选择企业", "choose the enterprise first")
                    .into(),
            );
            self.intake.form.focus = 0;
            return vec![];
        };
        let text = self.intake.form.value(5);
        if text.trim().is_empty() {
            self.intake.form.error = Some(
                self.lang
                    .pick(
                        "问题描述：不能为空，请填写",
                        "description must not be empty",
                    )
                    .into(),
            );
            self.intake.form.focus = 5;
            return vec![];
        }
        if !self.intake.confirmed_similar {
            let similar = self.data.issues.iter().find(|i| {
                i.enterprise == ent.code
                    && i.status.is_open()
                    && data::similarity(&i.description, &text) >= 0.5
            });
            if let Some(s) = similar {
                self.overlay = Some(Overlay::Similar { existing: s.id });
                return vec![];
            }
        }
        let channel = Channel::ALL
            .get(self.intake.form.index(2))
            .copied()
            .unwrap_or(Channel::WalkIn);
        vec![Effect::Execute(Command::LogIssue {
            issue: NewIssue {
                enterprise: ent.code,
                category: self.intake.form.value(1),
                channel,
                contact_name: self.intake.form.value(3),
                phone: self.intake.form.value(4),
                description: text,
            },
        })]
    }

    /// A key in the new-enterprise form (an enterprise typed in at the desk).
    pub(super) fn new_enterprise_action(&mut self, a: Action) -> Vec<Effect> {
        let Some(Overlay::NewEnterprise(form)) = &mut self.overlay else {
            return vec![];
        };
        match a {
            Action::NextField | Action::Down => form.next(),
            Action::PrevField | Action::Up => form.prev(),
            Action::Submit => {
                let code = form.value(0);
                if let Err(e) = credit_code::validate(&code) {
                    let err = crate::desk::DeskError::invalid(
                        "credit_code",
                        code.trim(),
                        crate::desk::Problem::CreditCode(e),
                    );
                    form.error = Some(err.message(self.lang));
                    form.focus = 0;
                    return vec![];
                }
                let vip = match form.index(3) {
                    0 => vec![],
                    n => VipCategory::ALL
                        .get(n - 1)
                        .map(|c| vec![*c])
                        .unwrap_or_default(),
                };
                let e = Enterprise {
                    credit_code: code,
                    name: form.value(1),
                    district: form.value(2),
                    grade: None,
                    vip,
                    contact: String::new(),
                    phone: String::new(),
                };
                return vec![Effect::Execute(Command::SaveEnterprise { enterprise: e })];
            }
            _ => {}
        }
        vec![]
    }
}
