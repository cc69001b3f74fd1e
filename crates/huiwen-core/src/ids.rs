//! Typed ids. They are plain integers in the store; the types keep an article
//! id from being passed where a source id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// An article row in the store.
    ArticleId
);
id_type!(
    /// A source (feed, page or imported collection).
    SourceId
);
id_type!(
    /// A story: the cluster of articles, from any outlets, about one event.
    StoryId
);
id_type!(
    /// A named entity (company, ticker, person, place, organisation).
    EntityId
);
