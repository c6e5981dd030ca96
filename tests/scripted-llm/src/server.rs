//! [`ScriptedLlm`]: the listener, one thread per connection, and the turn queue.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use serde_json::Value;

use crate::api::{Api, Ctx};
use crate::http::{self, Request};
use crate::reply::{send_failure, send_reply};
use crate::script::Turn;

/// How often an idle keep-alive connection checks whether the server is stopping.
const IDLE_POLL: Duration = Duration::from_millis(100);
/// A client that stalls this long inside one request is dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A request as the server received it, for tests to assert what the client sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Request target, query string included.
    pub path: String,
    /// Headers in the order sent, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body parsed as JSON; a body that is not JSON is kept as a JSON string of its
    /// (lossy UTF-8) text, and an empty body is `null`.
    pub body: Value,
    /// The API the path belongs to, `None` for an unknown path.
    pub api: Option<Api>,
}

impl Recorded {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        http::header(&self.headers, name)
    }

    /// Whether the body asked for a stream (`"stream": true`).
    pub fn stream(&self) -> bool {
        self.body["stream"].as_bool() == Some(true)
    }
}

/// Chooses a turn for a request when the scripted queue is empty; `None` means "unscripted".
type Responder = Box<dyn FnMut(&Recorded) -> Option<Turn> + Send>;

struct State {
    script: VecDeque<Turn>,
    responder: Option<Responder>,
    recorded: Vec<Recorded>,
    /// How many turns were handed out, to name the script's length in "unscripted" errors.
    served: usize,
}

struct Shared {
    state: Mutex<State>,
    stopping: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking responder poisons the lock; the recorded requests are still worth reading.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A fake LLM provider on `127.0.0.1` that answers each request with the next scripted
/// [`Turn`], in the wire format of the endpoint it was sent to. It stops on drop.
pub struct ScriptedLlm {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl ScriptedLlm {
    /// Starts serving `turns` in order, one per request, on any free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// If no port can be bound on 127.0.0.1: a test cannot run without one.
    pub fn start(turns: Vec<Turn>) -> ScriptedLlm {
        ScriptedLlm::launch(turns, None)
    }

    /// Starts a server that asks `responder` for a turn whenever its queue (empty at first,
    /// see [`ScriptedLlm::push`]) is empty; `None` from it answers the request as
    /// unscripted. The responder runs under the server's lock, so it must not call back
    /// into this server.
    ///
    /// # Panics
    ///
    /// As [`ScriptedLlm::start`].
    pub fn start_with(
        responder: impl FnMut(&Recorded) -> Option<Turn> + Send + 'static,
    ) -> ScriptedLlm {
        ScriptedLlm::launch(Vec::new(), Some(Box::new(responder)))
    }

    fn launch(turns: Vec<Turn>, responder: Option<Responder>) -> ScriptedLlm {
        let listener = TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("scripted-llm: cannot bind 127.0.0.1:0: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("scripted-llm: no local address for the listener: {e}"));
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                script: turns.into(),
                responder,
                recorded: Vec::new(),
                served: 0,
            }),
            stopping: AtomicBool::new(false),
        });
        let accept_shared = Arc::clone(&shared);
        let acceptor = thread::Builder::new()
            .name("scripted-llm-accept".into())
            .spawn(move || accept(listener, accept_shared))
            .unwrap_or_else(|e| panic!("scripted-llm: cannot start the accept thread: {e}"));
        ScriptedLlm {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash or `/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Appends a turn to the script.
    pub fn push(&self, turn: Turn) {
        self.shared.lock().script.push_back(turn);
    }

    /// Every request received so far, in arrival order, including refused ones.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().recorded.clone()
    }

    /// Scripted turns not yet served.
    pub fn remaining(&self) -> usize {
        self.shared.lock().script.len()
    }
}

impl Drop for ScriptedLlm {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // The accept loop is blocked in accept(); one connection wakes it to see the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(&shared);
        // Connection threads are not joined: they end when the client hangs up or, idle,
        // within IDLE_POLL of the server stopping.
        let _ = thread::Builder::new()
            .name("scripted-llm-conn".into())
            .spawn(move || {
                let _ = serve_connection(stream, &shared);
            });
    }
}

/// Waits for the next request's first byte; false when the client closed or the server stops.
fn wait_for_request(reader: &mut BufReader<TcpStream>, shared: &Shared) -> io::Result<bool> {
    reader.get_ref().set_read_timeout(Some(IDLE_POLL))?;
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return Ok(false);
        }
        match reader.fill_buf() {
            Ok(buf) => return Ok(!buf.is_empty()),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    while wait_for_request(&mut reader, shared)? {
        reader.get_ref().set_read_timeout(Some(REQUEST_TIMEOUT))?;
        let request = match http::read_request(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => break,
            Err(e) => {
                let body = format!("scripted-llm: unreadable HTTP request: {e}\n");
                let headers = [("content-type".into(), "text/plain".into())];
                let _ = http::write_full(&mut out, 400, &headers, body.as_bytes(), body.len());
                break;
            }
        };
        let close = request.wants_close();
        if !handle(&mut out, request, shared)? || close {
            break;
        }
    }
    let _ = out.shutdown(Shutdown::Both);
    Ok(())
}

/// Answers one request; false when the connection must not be reused.
fn handle(out: &mut TcpStream, request: Request, shared: &Shared) -> io::Result<bool> {
    let api = Api::from_path(&request.path);
    let parsed = serde_json::from_slice::<Value>(&request.body);
    let body = match &parsed {
        Ok(v) => v.clone(),
        Err(_) if request.body.is_empty() => Value::Null,
        Err(_) => Value::String(String::from_utf8_lossy(&request.body).into_owned()),
    };
    let recorded = Recorded {
        method: request.method,
        path: request.path,
        headers: request.headers,
        body,
        api,
    };
    let seq = {
        let mut state = shared.lock();
        state.recorded.push(recorded.clone());
        state.recorded.len()
    };
    let json_headers = |extra: Vec<(String, String)>| {
        let mut h = vec![("content-type".to_string(), "application/json".to_string())];
        h.extend(extra);
        h
    };
    let Some(api) = api else {
        let body = serde_json::json!({"error": {"message": format!(
            "scripted-llm: no endpoint {} {}; it serves POST /v1/messages, \
             /v1/chat/completions and /v1/responses",
            recorded.method, recorded.path)}})
        .to_string();
        http::write_full(out, 404, &json_headers(vec![]), body.as_bytes(), body.len())?;
        return Ok(true);
    };
    let refuse = |out: &mut TcpStream, status: u16, body: String| {
        http::write_full(
            out,
            status,
            &json_headers(vec![]),
            body.as_bytes(),
            body.len(),
        )
        .map(|()| true)
    };
    if recorded.method != "POST" {
        let message = format!(
            "{} {} is not allowed; use POST",
            recorded.method, recorded.path
        );
        return refuse(out, 405, api.invalid_request(&message));
    }
    if let Err((status, body)) = api.check_headers(&recorded.headers) {
        return refuse(out, status, body);
    }
    if let Err(e) = &parsed {
        let message = format!("scripted-llm: the request body is not valid JSON: {e}");
        return refuse(out, 400, api.invalid_request(&message));
    }
    let ctx = Ctx {
        seq,
        model: (recorded.body["model"].as_str())
            .unwrap_or("scripted-model")
            .to_string(),
        include_usage: recorded.body["stream_options"]["include_usage"].as_bool() == Some(true),
    };
    let turn = next_turn(shared, &recorded);
    let headers = json_headers(api.response_headers(&ctx));
    match turn {
        Err(served) => {
            let message = format!(
                "scripted-llm: no scripted turn left for request #{seq} ({} {}, model {:?}, \
                 stream: {}); {served} turns were served before it. Script one more Turn.",
                recorded.method,
                recorded.path,
                ctx.model,
                recorded.stream()
            );
            eprintln!("{message}");
            let body = api.internal(&message);
            http::write_full(out, 500, &headers, body.as_bytes(), body.len())?;
            Ok(true)
        }
        Ok(Turn::Reply(reply)) => send_reply(out, api, &ctx, &reply, recorded.stream(), None),
        Ok(Turn::Malformed { reply, fault }) => {
            send_reply(out, api, &ctx, &reply, recorded.stream(), Some(fault))
        }
        Ok(Turn::Error(failure)) => send_failure(out, api, &ctx, &failure, headers),
    }
}

/// The next turn, or the number served so far when there is none.
fn next_turn(shared: &Shared, recorded: &Recorded) -> Result<Turn, usize> {
    let mut state = shared.lock();
    let state = &mut *state;
    let turn = match state.script.pop_front() {
        Some(turn) => Some(turn),
        None => state.responder.as_mut().and_then(|r| r(recorded)),
    };
    match turn {
        Some(turn) => {
            state.served += 1;
            Ok(turn)
        }
        None => Err(state.served),
    }
}
