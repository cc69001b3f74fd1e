//! The reading thread: bytes → lines → parsed records, in batches.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::Sender;

use super::{records, FileEvent, ImportOptions, ImportProgress, Line};

/// Counts the bytes read from the file as stored, for progress in bytes.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

enum LineRead {
    Eof,
    Line,
    /// The line was longer than the cap; its bytes were skipped.
    TooLong(u64),
}

/// Reads one line into `buf` (without the newline), refusing to hold more
/// than `cap` bytes of it: a runaway line is skipped, not buffered.
fn read_line_capped(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<LineRead> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(match (total, too_long) {
                (0, _) => LineRead::Eof,
                (n, true) => LineRead::TooLong(n),
                _ => LineRead::Line,
            });
        }
        let (take, done) = match memchr_newline(chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        total += take as u64;
        if !too_long {
            if buf.len() + take > cap + 1 {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        reader.consume(take);
        if done {
            if too_long {
                return Ok(LineRead::TooLong(total));
            }
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(LineRead::Line);
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

fn open(path: &Path, read: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    let mut file = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let gzipped = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let counted = Counting { inner: file, read };
    Ok(if gzipped {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(counted),
        ))
    } else {
        Box::new(BufReader::with_capacity(256 * 1024, counted))
    })
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Reads `path` and sends its lines, parsed, in batches; a read error ends
/// the file with a `Failed` event after the lines read so far.
pub(super) fn read_file(
    path: &Path,
    options: &ImportOptions,
    progress: &dyn ImportProgress,
    tx: &Sender<FileEvent>,
) {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    progress.file_started(path, size);
    let read = Arc::new(AtomicU64::new(0));
    let mut reader = match open(path, read.clone()) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.blocking_send(FileEvent::Failed(format!("cannot read the file: {e}")));
            return;
        }
    };
    // A record holds its body twice at most (HTML and text) plus metadata.
    let cap = options
        .limits
        .max_body_bytes
        .saturating_mul(3)
        .saturating_add(1 << 20);
    let now = chrono::Utc::now();
    let mut buf = Vec::new();
    let batch_size = options.batch_size.max(1);
    let mut batch = Vec::with_capacity(batch_size);
    let mut number = 0u64;
    let mut reported = 0u64;
    let send = |batch: &mut Vec<Line>, reported: &mut u64| -> bool {
        let total = read.load(Ordering::Relaxed);
        progress.advanced(total - *reported, batch.len() as u64);
        *reported = total;
        tx.blocking_send(FileEvent::Lines(std::mem::take(batch)))
            .is_ok()
    };
    loop {
        let record = match read_line_capped(&mut reader, &mut buf, cap) {
            Ok(LineRead::Eof) => break,
            Ok(LineRead::TooLong(len)) => {
                number += 1;
                Err(format!("record is {}, over the {} a record may take (import.max_body_bytes × 3 + 1 MB)", mib(len), mib(cap as u64)))
            }
            Ok(LineRead::Line) => {
                number += 1;
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                records::parse_record(&buf, options, now)
            }
            Err(e) => {
                if !batch.is_empty() {
                    send(&mut batch, &mut reported);
                }
                let what = if e.kind() == io::ErrorKind::UnexpectedEof {
                    "the file ends early (truncated?)"
                } else {
                    "read error"
                };
                let _ = tx.blocking_send(FileEvent::Failed(format!(
                    "{what} after line {number}: {e}; the lines before were imported"
                )));
                return;
            }
        };
        batch.push(Line { number, record });
        if batch.len() >= batch_size && !send(&mut batch, &mut reported) {
            return;
        }
    }
    if !batch.is_empty() {
        send(&mut batch, &mut reported);
    } else {
        progress.advanced(read.load(Ordering::Relaxed) - reported, 0);
    }
}
