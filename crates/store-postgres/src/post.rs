//! One post, one transaction.
//!
//! PostgreSQL commits concurrent transactions in groups by itself, so each post is its own
//! transaction. Two races are possible between nodes and connections, and both end in a
//! unique violation: the same `client_id` sent twice at once, or a visitor's first two
//! messages each opening a dialog. The loser retries once and then finds the winner's row.

use sqlx::PgConnection;
use sqlx::postgres::PgPool;

pub(crate) async fn post(pool: &PgPool, post: &PostMessage) -> StoreResult<Posted> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut tx = pool.begin().await.map_err(map_err)?;
        match post_in(&mut tx, post).await.map_err(PostFailure::into_error) {
            Ok(done) => {
                tx.commit().await.map_err(map_err)?;
                return Ok(done);
            }
            Err(StoreError::Conflict(_)) if attempt < 3 => {
                tx.rollback().await.map_err(map_err)?;
            }
            Err(e) => return Err(e),
        }
    }
}

frontline_store::sql_post_one!(PgConnection, row = crate::row);
frontline_store::sql_track_in!(PgConnection, row = crate::row);
