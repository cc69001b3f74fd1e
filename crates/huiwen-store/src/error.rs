//! The one error type of every store.

use huiwen_core::DraftError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened or reached.
    #[error("cannot open the store at {location}: {message}")]
    Open { location: String, message: String },
    /// A migration failed; the store is left at the last good version.
    #[error("cannot migrate the store: {0}")]
    Migrate(String),
    /// A draft of a batch breaks an article invariant; nothing was written.
    #[error("article {index} of the batch ({guid}) cannot be stored: {error}")]
    InvalidDraft {
        index: usize,
        guid: String,
        error: DraftError,
    },
    /// A unique name or URL is already taken.
    #[error("{0}")]
    Conflict(String),
    /// A bad argument (e.g. a cursor that was not made by this store).
    #[error("{0}")]
    InvalidArgument(String),
    /// Anything the database itself reported; the transaction was rolled back.
    #[error("database error while {context}: {source}")]
    Database {
        context: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A row the store wrote and cannot read back (a bug or outside tampering).
    #[error("corrupt row in the store: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn database(
        context: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        StoreError::Database {
            context,
            source: Box::new(source),
        }
    }
}
