//! Group commit for answers: concurrent answers stored by one statement in one transaction
//! ([`store::submissions::submit_batch`]), each decided by its own rules and each answered only
//! after the commit that stored it.
//!
//! Each server worker runs one batcher over its own pool. A request hands its [`Attempt`] over
//! and waits; the batcher takes whatever is queued (up to [`BATCH_MAX`]) as soon as one of its
//! batches may start. Nothing waits on purpose: a lone answer is stored at once, alone, by the
//! single-answer statement; answers queue only while earlier batches occupy every slot, and the
//! next batch takes them together (as PostgreSQL's own group commit takes the commits that
//! queued behind a WAL flush). Two answers of one student never share a batch (see [`fits`]):
//! the later one waits for the next batch. When
//! the batch statement fails for any reason, each of its answers is stored by the single-answer
//! statement on its own, so one bad answer never fails the others and every outcome is one the
//! single path gives.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot, Semaphore};
use tokio::time::Instant;

use crate::store;
use crate::store::submissions::{Attempt, SubmitError, Submitted};

/// The most answers one statement stores.
pub const BATCH_MAX: usize = 32;

type Reply = Result<Option<Submitted>, SubmitError>;

struct Entry {
    attempt: Attempt,
    reply: oneshot::Sender<Reply>,
    queued_at: Instant,
}

/// The handle requests use; cloning it is cheap. The batcher stops once every handle is gone
/// and what was queued is stored.
#[derive(Clone, Debug)]
pub struct Batcher {
    queue: mpsc::UnboundedSender<Entry>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry").field("id", &self.attempt.id).finish()
    }
}

impl Batcher {
    /// Starts a batcher on the current runtime over `pool`, with at most `in_flight` batches
    /// (transactions) at once. An answer that waited a quarter of the pool's acquire timeout
    /// for a batch to start (every batch held up: a lock, an outage) is stored on its own, as
    /// without batching: on a connection of its own if one comes within the acquire timeout,
    /// else refused as busy ([`sqlx::Error::PoolTimedOut`], a 503 with `Retry-After`).
    pub fn spawn(pool: PgPool, in_flight: usize) -> Batcher {
        let (queue, rx) = mpsc::unbounded_channel();
        let patience = pool.options().get_acquire_timeout() / 4;
        tokio::spawn(run(
            pool,
            rx,
            Arc::new(Semaphore::new(in_flight.max(1))),
            patience,
        ));
        Batcher { queue }
    }

    /// At most a quarter of the pool's connections in batches at once (at least one): the
    /// rest serve the other requests, and the fallback of a failed batch.
    pub fn for_pool(pool: PgPool) -> Batcher {
        let in_flight = (pool.options().get_max_connections() as usize / 4).clamp(1, 8);
        Batcher::spawn(pool, in_flight)
    }

    /// Stores `attempt` as [`store::submissions::submit`] would, in a batch with whatever
    /// answers arrive meanwhile; returns once the batch is committed (or has failed).
    pub async fn submit(&self, attempt: Attempt) -> Reply {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Entry {
                attempt,
                reply,
                queued_at: Instant::now(),
            })
            .map_err(|_| SubmitError::Db(sqlx::Error::PoolClosed))?;
        // The batcher gone without answering (its runtime stopped): whether the answer was
        // committed is unknown, as with a connection lost during a statement.
        answer
            .await
            .unwrap_or(Err(SubmitError::Db(sqlx::Error::PoolClosed)))
    }
}

/// Whether `e` may share a batch with `batch`: one answer per student in a batch. So no two
/// answers of a batch decide an attempt number or a key against each other, and, since a
/// batch inserts its rows in student order, two batches racing for rows never wait for each
/// other in a circle (a deadlock): each waits only at the first student both have.
fn fits(batch: &[Entry], e: &Entry) -> bool {
    batch.iter().all(|o| o.attempt.student_id != e.attempt.student_id)
}

async fn run(
    pool: PgPool,
    mut rx: mpsc::UnboundedReceiver<Entry>,
    slots: Arc<Semaphore>,
    patience: Duration,
) {
    // In arrival order: the first has waited longest.
    let mut waiting: VecDeque<Entry> = VecDeque::new();
    loop {
        let Some(oldest) = waiting.front().map(|e| e.queued_at) else {
            match rx.recv().await {
                Some(e) => waiting.push_back(e),
                // Every handle is gone and nothing waits: done.
                None => break,
            }
            continue;
        };
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = tokio::time::sleep_until(oldest + patience) => {
                // Every batch is held up: what waited that long goes on its own.
                while let Ok(e) = rx.try_recv() {
                    waiting.push_back(e);
                }
                let now = Instant::now();
                while waiting.front().is_some_and(|e| e.queued_at + patience <= now) {
                    if let Some(e) = waiting.pop_front() {
                        let pool = pool.clone();
                        tokio::spawn(async move { store_alone(&pool, e).await });
                    }
                }
                continue;
            }
        };
        let Ok(slot) = slot else {
            break;
        };
        // Whatever queued while the slot was taken joins this batch.
        while let Ok(e) = rx.try_recv() {
            waiting.push_back(e);
        }
        let mut batch = Vec::new();
        let mut later = VecDeque::new();
        for e in waiting.drain(..) {
            if e.reply.is_closed() {
                // Nobody waits for it any more (the request was dropped): not stored.
                continue;
            }
            if batch.len() < BATCH_MAX && fits(&batch, &e) {
                batch.push(e);
            } else {
                later.push_back(e);
            }
        }
        waiting = later;
        if batch.is_empty() {
            continue;
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            store_batch(&pool, batch).await;
            drop(slot);
        });
    }
}

/// Stores `batch` and answers each of its requests.
async fn store_batch(pool: &PgPool, batch: Vec<Entry>) {
    if batch.len() == 1 {
        for e in batch {
            store_alone(pool, e).await;
        }
        return;
    }
    let attempts: Vec<&Attempt> = batch.iter().map(|e| &e.attempt).collect();
    match store::submissions::submit_batch(pool, &attempts).await {
        Ok(outcomes) => {
            for (e, outcome) in batch.into_iter().zip(outcomes) {
                let _ = e.reply.send(Ok(outcome));
            }
        }
        Err(error) => {
            tracing::warn!(%error, answers = batch.len(), "a batch of answers failed; storing each on its own");
            join_all(batch.into_iter().map(|e| store_alone(pool, e))).await;
        }
    }
}

/// Stores one answer by the single-answer statement and answers its request.
async fn store_alone(pool: &PgPool, e: Entry) {
    let reply = store::submissions::submit(pool, &e.attempt).await;
    let _ = e.reply.send(reply);
}
