//! The node types of the graph as plain wrappers of their domain values. They live apart
//! from their resolvers so that the resolver modules, which link every node to the others,
//! depend on this module and not on each other.

use kb_domain as domain;

/// A shared piece of work on student wellbeing: a guide, study, tool, training,
/// teaching practice, support group, community, … Everything published is free and
/// open to all.
#[derive(Debug, Clone)]
pub struct Initiative(pub(crate) domain::Initiative);

impl From<domain::Initiative> for Initiative {
    fn from(i: domain::Initiative) -> Self {
        Self(i)
    }
}

/// One of the eight domains of the StepChange model (policy, research, collaboration,
/// transition, early intervention, prevention, support, equipping).
#[derive(Debug, Clone)]
pub struct Theme(pub(crate) domain::Theme);

/// A topic of the topic tree (SKOS style: broader and narrower topics).
#[derive(Debug, Clone)]
pub struct Topic(pub(crate) domain::Topic);

/// A network meeting, masterclass, webinar, conference, … where initiatives are shown.
#[derive(Debug, Clone)]
pub struct Event(pub(crate) domain::Event);

impl From<domain::Event> for Event {
    fn from(e: domain::Event) -> Self {
        Self(e)
    }
}

/// A university, university of applied sciences, wellbeing organisation, network, …
#[derive(Debug, Clone)]
pub struct Organisation(pub(crate) domain::Organisation);

impl From<domain::Organisation> for Organisation {
    fn from(o: domain::Organisation) -> Self {
        Self(o)
    }
}
