//! Static feed server for `bench/ingest.sh`.
//!
//! The Miniflux kit serves its 200 feeds with Python's `http.server`, which
//! needs 1.2–1.5 s of one core to hand out the 28.7 MB. A system that
//! ingests faster than that measures the server, not itself. This server
//! behaves the same way on the wire — `Last-Modified` is the file's mtime,
//! `If-Modified-Since` not older than it gets `304`, no `ETag`, HTTP/1.0
//! style one request per connection, a thread per connection — and writes
//! the same request log (`{"t","path","status","ims","inm","ua","ae"}` per
//! line) that the kit's harness reads, so the kit can measure Miniflux
//! against it too and both systems are measured against the same server.
//!
//! ```sh
//! feed-server --dir FEEDS --port 8081 --log requests.jsonl
//! ```

use std::fs;
use std::io::{BufRead, BufReader, LineWriter, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

struct Args {
    dir: PathBuf,
    bind: String,
    port: u16,
    log: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        dir: PathBuf::from("feeds"),
        bind: "127.0.0.1".into(),
        port: 8081,
        log: PathBuf::from("requests.jsonl"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--dir" => args.dir = value.into(),
            "--bind" => args.bind = value,
            "--port" => args.port = value.parse().map_err(|e| format!("--port: {e}"))?,
            "--log" => args.log = value.into(),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("feed-server: {e}");
            std::process::exit(2);
        }
    };
    let log = match fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.log)
    {
        Ok(f) => Arc::new(Mutex::new(LineWriter::new(f))),
        Err(e) => {
            eprintln!("feed-server: cannot open {}: {e}", args.log.display());
            std::process::exit(1);
        }
    };
    let listener = match TcpListener::bind((args.bind.as_str(), args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "feed-server: cannot listen on {}:{}: {e}",
                args.bind, args.port
            );
            std::process::exit(1);
        }
    };
    let dir = Arc::new(args.dir);
    for stream in listener.incoming().flatten() {
        let (dir, log) = (Arc::clone(&dir), Arc::clone(&log));
        std::thread::spawn(move || {
            let _ = serve(stream, &dir, &log);
        });
    }
}

struct Request {
    method: String,
    path: String,
    if_modified_since: Option<String>,
    if_none_match: Option<String>,
    user_agent: Option<String>,
    accept_encoding: Option<String>,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let mut request = Request {
        method: method.to_owned(),
        path: path.to_owned(),
        if_modified_since: None,
        if_none_match: None,
        user_agent: None,
        accept_encoding: None,
    };
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = Some(value.trim().to_owned());
        match name.trim().to_ascii_lowercase().as_str() {
            "if-modified-since" => request.if_modified_since = value,
            "if-none-match" => request.if_none_match = value,
            "user-agent" => request.user_agent = value,
            "accept-encoding" => request.accept_encoding = value,
            _ => {}
        }
    }
    Ok(Some(request))
}

fn serve(
    mut stream: TcpStream,
    dir: &Path,
    log: &Mutex<LineWriter<fs::File>>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&stream)? else {
        return Ok(());
    };
    let status = respond(&mut stream, dir, &request)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let record = format!(
        "{{\"t\": {:.4}, \"path\": {}, \"status\": {status}, \"ims\": {}, \"inm\": {}, \"ua\": {}, \"ae\": {}}}\n",
        now,
        json_string(Some(&request.path)),
        json_string(request.if_modified_since.as_deref()),
        json_string(request.if_none_match.as_deref()),
        json_string(request.user_agent.as_deref()),
        json_string(request.accept_encoding.as_deref()),
    );
    if let Ok(mut log) = log.lock() {
        log.write_all(record.as_bytes())?;
    }
    Ok(())
}

fn respond(stream: &mut TcpStream, dir: &Path, request: &Request) -> std::io::Result<u16> {
    let Some(file) = file_for(dir, &request.path) else {
        return write_status(stream, 404, "Not Found");
    };
    if request.method != "GET" && request.method != "HEAD" {
        return write_status(stream, 501, "Not Implemented");
    }
    let Ok(meta) = fs::metadata(&file) else {
        return write_status(stream, 404, "Not Found");
    };
    let mtime = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    // Python's handler: 304 when the client's date is not older than the
    // file's mtime (whole seconds).
    if let Some(since) = request
        .if_modified_since
        .as_deref()
        .and_then(parse_http_date)
    {
        if mtime <= since {
            write!(
                stream,
                "HTTP/1.0 304 Not Modified\r\nServer: huiwen-bench-feed-server\r\nDate: {}\r\n\r\n",
                http_date(now_secs())
            )?;
            return Ok(304);
        }
    }
    let body = fs::read(&file)?;
    let content_type = if file.extension().is_some_and(|e| e == "opml") {
        "text/x-opml"
    } else {
        "application/xml"
    };
    write!(
        stream,
        "HTTP/1.0 200 OK\r\nServer: huiwen-bench-feed-server\r\nDate: {}\r\nContent-type: {content_type}\r\nContent-Length: {}\r\nLast-Modified: {}\r\n\r\n",
        http_date(now_secs()),
        body.len(),
        http_date(mtime)
    )?;
    if request.method == "GET" {
        stream.write_all(&body)?;
    }
    Ok(200)
}

fn write_status(stream: &mut TcpStream, code: u16, reason: &str) -> std::io::Result<u16> {
    write!(
        stream,
        "HTTP/1.0 {code} {reason}\r\nContent-Length: 0\r\n\r\n"
    )?;
    Ok(code)
}

/// The file a request path names inside `dir`, refusing anything that
/// climbs out of it.
fn file_for(dir: &Path, path: &str) -> Option<PathBuf> {
    let path = path.split(['?', '#']).next()?.trim_start_matches('/');
    let relative = Path::new(path);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
        || path.is_empty()
    {
        return None;
    }
    Some(dir.join(relative))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) of Unix seconds.
fn http_date(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Unix seconds of an IMF-fixdate; `None` for anything else (the request is
/// then answered in full, as Python does).
fn parse_http_date(s: &str) -> Option<u64> {
    let mut parts = s.split_whitespace().skip(1);
    let day: i64 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as i64 + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    let secs = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec;
    u64::try_from(secs).ok()
}

// Howard Hinnant's civil-calendar algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn json_string(value: Option<&str>) -> String {
    let Some(value) = value else {
        return "null".into();
    };
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_round_trip() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = Path::new("/srv/feeds");
        assert_eq!(
            file_for(dir, "/feed_001.xml?x=1"),
            Some(PathBuf::from("/srv/feeds/feed_001.xml"))
        );
        assert_eq!(file_for(dir, "/../etc/passwd"), None);
        assert_eq!(file_for(dir, "/"), None);
    }
}
