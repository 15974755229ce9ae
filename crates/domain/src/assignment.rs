//! Capacity and the auto-assign choice.
//!
//! An operator takes at most `capacity` active dialogs (4 by default). Auto-assign gives a
//! waiting dialog to the online member with the most free places; among equals, to the one
//! idle the longest. Nobody able to take it: it waits in the queue.

use crate::error::DomainError;
use crate::ids::OperatorId;
use crate::time::Timestamp;

/// Most active dialogs an operator handles at once: 1–50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Capacity(u32);

impl Capacity {
    pub const DEFAULT: Capacity = Capacity(4);

    pub fn new(n: i64) -> Result<Self, DomainError> {
        if !(1..=50).contains(&n) {
            return Err(DomainError::invalid("capacity", "1–50 dialogs"));
        }
        Ok(Self(n as u32))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether one more dialog fits next to `active` ones.
    pub fn admits(self, active: u32) -> bool {
        active < self.0
    }
}

impl Default for Capacity {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Whether an operator takes new dialogs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Online,
    Away,
    Offline,
}

impl Presence {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "online" => Ok(Self::Online),
            "away" => Ok(Self::Away),
            "offline" => Ok(Self::Offline),
            _ => Err(DomainError::invalid("presence", "online, away or offline")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Away => "away",
            Self::Offline => "offline",
        }
    }
}

/// A channel member as auto-assign sees him.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub operator: OperatorId,
    pub presence: Presence,
    pub active: u32,
    pub capacity: Capacity,
    /// Since when he has had no new dialog (his last assignment, or coming online).
    pub idle_since: Timestamp,
}

impl Candidate {
    fn free(&self) -> u32 {
        self.capacity.get().saturating_sub(self.active)
    }

    /// Online and below capacity.
    pub fn can_take(&self) -> bool {
        self.presence == Presence::Online && self.capacity.admits(self.active)
    }
}

/// The operator to give a waiting dialog to, or `None` when nobody can take it.
pub fn choose(candidates: &[Candidate]) -> Option<OperatorId> {
    candidates
        .iter()
        .filter(|c| c.can_take())
        // Most free places first; then idle longest (earliest `idle_since`); then a stable
        // order by id so that the choice never depends on the input's order.
        .max_by(|a, b| a.free().cmp(&b.free()).then(b.idle_since.cmp(&a.idle_since)).then(b.operator.cmp(&a.operator)))
        .map(|c| c.operator)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(presence: Presence, active: u32, cap: i64, idle: i64) -> Candidate {
        Candidate {
            operator: OperatorId::new(),
            presence,
            active,
            capacity: Capacity::new(cap).expect("capacity"),
            idle_since: Timestamp(idle),
        }
    }

    #[test]
    fn most_free_places_then_longest_idle() {
        let busy = cand(Presence::Online, 3, 4, 0);
        let free = cand(Presence::Online, 1, 4, 500);
        let free_longer = cand(Presence::Online, 1, 4, 100);
        let away = cand(Presence::Away, 0, 4, 0);
        assert_eq!(choose(&[busy, free, free_longer, away]), Some(free_longer.operator));
        assert_eq!(choose(&[busy, away]), Some(busy.operator));
        let full = cand(Presence::Online, 4, 4, 0);
        assert_eq!(choose(&[full, away, cand(Presence::Offline, 0, 4, 0)]), None, "nobody can: it waits");
        assert_eq!(choose(&[]), None);
    }

    #[test]
    fn capacity_and_presence_parse() {
        assert!(Capacity::new(0).is_err() && Capacity::new(51).is_err());
        assert_eq!(Capacity::default().get(), 4);
        assert!(Capacity::DEFAULT.admits(3) && !Capacity::DEFAULT.admits(4));
        assert_eq!(Presence::parse("online"), Ok(Presence::Online));
        assert!(Presence::parse("busy").is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn candidates() -> impl Strategy<Value = Vec<Candidate>> {
        proptest::collection::vec(
            (0u8..3, 0u32..8, 1i64..8, 0i64..1000).prop_map(|(p, active, cap, idle)| Candidate {
                operator: OperatorId::new(),
                presence: [Presence::Online, Presence::Away, Presence::Offline][p as usize],
                active,
                capacity: Capacity::new(cap).expect("capacity"),
                idle_since: Timestamp(idle),
            }),
            0..12,
        )
    }

    proptest! {
        #[test]
        fn the_choice_can_take_it_and_nobody_has_more_room(cs in candidates()) {
            match choose(&cs) {
                Some(id) => {
                    let c = cs.iter().find(|c| c.operator == id).expect("chosen from the list");
                    prop_assert!(c.can_take());
                    for other in cs.iter().filter(|o| o.can_take()) {
                        prop_assert!(other.free() <= c.free());
                        if other.free() == c.free() {
                            prop_assert!(other.idle_since >= c.idle_since);
                        }
                    }
                }
                None => prop_assert!(cs.iter().all(|c| !c.can_take())),
            }
        }

        #[test]
        fn assigning_one_by_one_never_exceeds_capacity(mut cs in candidates(), waiting in 0usize..60) {
            let start: Vec<u32> = cs.iter().map(|c| c.active).collect();
            let room: u32 = cs.iter().filter(|c| c.presence == Presence::Online).map(|c| c.free()).sum();
            let mut assigned = 0u32;
            for _ in 0..waiting {
                let Some(id) = choose(&cs) else { break };
                let c = cs.iter_mut().find(|c| c.operator == id).expect("chosen");
                c.active += 1;
                assigned += 1;
            }
            for (c, before) in cs.iter().zip(start) {
                prop_assert!(c.active <= c.capacity.get().max(before), "capacity exceeded");
                if c.presence != Presence::Online {
                    prop_assert_eq!(c.active, before, "only online operators get dialogs");
                }
            }
            prop_assert_eq!(assigned, room.min(waiting as u32), "every free place is used before the queue grows");
        }

        #[test]
        fn the_order_of_candidates_does_not_change_the_choice(cs in candidates()) {
            let mut reversed = cs.clone();
            reversed.reverse();
            prop_assert_eq!(choose(&cs), choose(&reversed));
        }
    }
}
