//! [`SeaweedServer`]: one `weed mini` on 127.0.0.1 with signature checks on.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::guard::Guard;
use crate::ports::Ports;
use crate::{bucket, install, probe, random};

/// How long weed gets to answer S3 after a start; it usually takes 1–2 s.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause between two readiness probes.
const POLL_INTERVAL: Duration = Duration::from_millis(25);
/// Starts tried with fresh ports when weed finds one taken (another process
/// may grab a port between our check and weed's bind).
const START_ATTEMPTS: usize = 3;
/// Lines of weed's log quoted in a failure message.
const LOG_TAIL_LINES: usize = 40;
/// The alphabets of AWS-shaped credentials.
const KEY_ID_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A SeaweedFS S3 server on 127.0.0.1, with one identity whose signature
/// every request must carry.
///
/// Get the per-process server with [`SeaweedServer::shared`], or a private
/// one with [`SeaweedServer::start`] for tests that stop and restart it. The
/// server dies with the test process in every case (see the crate docs).
pub struct SeaweedServer {
    guard: Guard,
    ports: Ports,
    data_dir: PathBuf,
    access_key: String,
    secret_key: String,
    /// weed's process id while it runs.
    pid: Option<u32>,
    /// Numbers the buckets named by this server.
    buckets: AtomicU64,
    /// Makes bucket names differ between processes too (lowercase, digits).
    bucket_nonce: String,
}

impl SeaweedServer {
    /// The server of this test process, started on first use (installing
    /// SeaweedFS first if needed) and shared by every test in it.
    ///
    /// Tests sharing it must not interfere: give each its own bucket with
    /// [`SeaweedServer::unique_bucket`]. It cannot be stopped; it ends when
    /// the process does.
    ///
    /// # Panics
    ///
    /// If SeaweedFS cannot be installed or does not come up; every later
    /// call panics with the same message, without trying again.
    pub fn shared() -> &'static SeaweedServer {
        static SHARED: OnceLock<Result<SeaweedServer, String>> = OnceLock::new();
        match SHARED.get_or_init(SeaweedServer::launch) {
            Ok(server) => server,
            Err(message) => panic!("SeaweedFS S3 test server: {message}"),
        }
    }

    /// A private server, for tests that [`stop`](Self::stop) and
    /// [`restart`](Self::restart) it. Dropping it kills weed and removes its
    /// data.
    ///
    /// # Panics
    ///
    /// If SeaweedFS cannot be installed or does not come up.
    pub fn start() -> SeaweedServer {
        SeaweedServer::launch()
            .unwrap_or_else(|message| panic!("SeaweedFS S3 test server: {message}"))
    }

    /// Kills weed with `SIGKILL`, like a crash, and waits until it is gone;
    /// its data stays for [`restart`](Self::restart). Does nothing if it is
    /// stopped already.
    ///
    /// # Panics
    ///
    /// If the guard process that runs weed is gone.
    pub fn stop(&mut self) {
        if self.pid.take().is_some() {
            if let Err(message) = self.guard.stop() {
                panic!("SeaweedFS S3 test server: stopping weed: {message}");
            }
        }
    }

    /// Starts weed again, stopping it first if it runs, on the same ports
    /// and data: objects written before persist. Returns once S3 answers.
    ///
    /// # Panics
    ///
    /// If weed does not come back, for example because another process took
    /// one of its ports meanwhile; the message quotes weed's log.
    pub fn restart(&mut self) {
        self.stop();
        if let Err(message) = self.boot() {
            panic!("SeaweedFS S3 test server: restarting weed: {message}");
        }
    }

    /// The S3 endpoint, `http://127.0.0.1:PORT`, for path-style requests.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.ports.s3)
    }

    /// The access key id of the server's one identity (admin rights).
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// The secret key that goes with [`access_key`](Self::access_key).
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The region to sign requests for: `us-east-1`.
    pub fn region(&self) -> &str {
        "us-east-1"
    }

    /// A valid S3 bucket name, different on every call, that starts with a
    /// cleaned-up `hint` (lowercased, other characters turned into `-`, cut
    /// to 40 characters) so that a bucket can be traced to its test. The
    /// bucket is not created.
    pub fn unique_bucket(&self, hint: &str) -> String {
        let sequence = self.buckets.fetch_add(1, Ordering::Relaxed);
        bucket::name(hint, sequence, &self.bucket_nonce)
    }

    /// The directory holding weed's data and its log; removed with the
    /// server.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// weed's log (stdout and stderr of every run, appended).
    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("weed.log")
    }

    /// weed's process id, `None` while stopped.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Installs if needed, then starts a server, with fresh ports again if
    /// weed finds one taken.
    fn launch() -> Result<SeaweedServer, String> {
        let weed = install::weed()?;
        let mut clash = String::new();
        for _ in 0..START_ATTEMPTS {
            let mut server = SeaweedServer::create(&weed)?;
            match server.boot() {
                Ok(()) => return Ok(server),
                // weed checks its ports before binding ("is not
                // available"), but a port can still go between the check
                // and the bind ("address already in use").
                Err(message)
                    if message.contains("is not available")
                        || message.contains("address already in use") =>
                {
                    clash = message
                }
                Err(message) => return Err(message),
            }
        }
        Err(format!(
            "weed found a port taken on each of {START_ATTEMPTS} tries; the last: {clash}"
        ))
    }

    /// A server with fresh ports, credentials and data directory, its guard
    /// spawned but weed not started.
    fn create(weed: &Path) -> Result<SeaweedServer, String> {
        let ports = Ports::pick()?;
        let data_dir = std::env::temp_dir().join(format!(
            "wasm-agent-seaweed-{}-{}",
            std::process::id(),
            random::string(b"abcdefghijklmnopqrstuvwxyz0123456789", 8)
        ));
        std::fs::create_dir_all(data_dir.join("tmp")).map_err(|err| {
            format!(
                "cannot create the data directory {}: {err}",
                data_dir.display()
            )
        })?;
        let access_key = format!("WAT{}", random::string(KEY_ID_CHARS, 17));
        let secret_key = random::string(SECRET_CHARS, 40);
        let dir = data_dir.display().to_string();
        let tmp = data_dir.join("tmp").display().to_string();
        // weed mini creates an admin identity from these two variables.
        // HOME and the working directory (the guard's) point into the data
        // directory so that no ~/.seaweedfs or ./*.toml of the developer is
        // read; TMPDIR keeps weed's temporary files there too.
        let env = [
            ("AWS_ACCESS_KEY_ID", access_key.as_str()),
            ("AWS_SECRET_ACCESS_KEY", secret_key.as_str()),
            ("HOME", dir.as_str()),
            ("TMPDIR", tmp.as_str()),
        ];
        let guard = Guard::spawn(
            weed,
            &data_dir,
            &ports.all(),
            &env,
            &weed_args(&data_dir, &ports),
        );
        let guard = match guard {
            Ok(guard) => guard,
            Err(message) => {
                let _ = std::fs::remove_dir_all(&data_dir);
                return Err(message);
            }
        };
        Ok(SeaweedServer {
            guard,
            ports,
            data_dir,
            access_key,
            secret_key,
            pid: None,
            buckets: AtomicU64::new(0),
            bucket_nonce: random::string(b"abcdefghijklmnopqrstuvwxyz0123456789", 6),
        })
    }

    /// Starts weed and waits until S3 answers with signature checks on.
    fn boot(&mut self) -> Result<(), String> {
        let pid = self.guard.start()?;
        self.pid = Some(pid);
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = self.guard.exit_status() {
                let status = status.to_string();
                self.pid = None;
                return Err(format!(
                    "weed (pid {pid}) exited with status {status} before S3 answered on {}; {}",
                    self.endpoint(),
                    self.log_tail()
                ));
            }
            let last = match self.readiness() {
                Ok(()) => return Ok(()),
                Err(waiting_for) => waiting_for,
            };
            if Instant::now() >= deadline {
                return Err(format!(
                    "weed (pid {pid}) did not answer S3 on {} within {READY_TIMEOUT:?} \
                     (last probe: {last}); {}",
                    self.endpoint(),
                    self.log_tail()
                ));
            }
            std::thread::sleep(POLL_INTERVAL);
        }
    }

    /// `Ok` once S3 answers with signature checks on and the master knows
    /// the volume server with all its volumes (see the `probe` module for
    /// why both); else what is still missing.
    fn readiness(&self) -> Result<(), String> {
        match probe::anonymous_list_status(self.ports.s3) {
            Ok(403) => {}
            Ok(status) => {
                return Err(format!(
                    "an anonymous ListBuckets got {status}, not 403 (are identities configured?)"
                ))
            }
            Err(err) => return Err(format!("S3: {err}")),
        }
        let on_disk = probe::volumes_on_disk(&self.data_dir);
        match probe::volumes_reported(self.ports.master, self.ports.volume) {
            Ok(Some(known)) if known >= on_disk => Ok(()),
            Ok(Some(known)) => Err(format!(
                "the master knows {known} of the {on_disk} volumes on disk"
            )),
            Ok(None) => Err("the volume server is not registered with the master yet".into()),
            Err(err) => Err(format!("master: {err}")),
        }
    }

    /// The last lines of weed's log, headed by its path, for failure
    /// messages: the data directory goes away with the server, so a message
    /// should quote the log rather than point to it.
    pub fn log_tail(&self) -> String {
        let path = self.log_file();
        match std::fs::read_to_string(&path) {
            Ok(log) => {
                let lines: Vec<&str> = log.lines().collect();
                let tail = &lines[lines.len().saturating_sub(LOG_TAIL_LINES)..];
                format!("last lines of {}:\n{}", path.display(), tail.join("\n"))
            }
            Err(err) => format!("its log {} cannot be read: {err}", path.display()),
        }
    }
}

/// The arguments of `weed` for one server.
///
/// Besides the ports: only 127.0.0.1 is ever bound; the admin UI, WebDAV,
/// the Iceberg and Lance catalogs are off (they would take fixed ports) and
/// so is telemetry (it phones home). Two defaults of `weed mini` that
/// differ from AWS are turned off for fidelity: deleting a non-empty bucket
/// (AWS answers 409 BucketNotEmpty) and creating a missing bucket on upload
/// (AWS answers 404 NoSuchBucket). Logs go to stderr, which the guard sends
/// to the log file, instead of files in TMPDIR.
fn weed_args(data_dir: &Path, ports: &Ports) -> Vec<String> {
    let mut args = vec![
        "-logtostderr".to_string(),
        "mini".to_string(),
        format!("-dir={}", data_dir.display()),
        "-ip=127.0.0.1".to_string(),
        "-ip.bind=127.0.0.1".to_string(),
    ];
    args.extend(ports.flags());
    args.extend(
        [
            "-admin.ui=false",
            "-webdav=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
            "-s3.allowDeleteBucketNotEmpty=false",
            "-s3.autoCreateBucket=false",
            // Every bucket takes at least one volume, and by default the
            // number of volumes is free disk space / volume size (about 30
            // on a small disk): a test binary making one bucket per test
            // ran out ("No writable volumes"). Volumes are sparse files,
            // so small ones and a high cap cost nothing.
            "-master.volumeSizeLimitMB=64",
            "-volume.max=1000",
        ]
        .map(String::from),
    );
    args
}
