//! Connecting to the city's PostgreSQL: the URL (or `key=value` string) as libpq takes it,
//! with what the client library leaves out — `sslmode=verify-ca|verify-full` with
//! `sslrootcert`, and the password from `PGPASSWORD` or the password file (`PGPASSFILE`,
//! `~/.pgpass`) — and a description of the target that never shows the password.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::Client;

use super::CityError;

/// How the connection is protected (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    Disable,
    /// TLS if the server offers it, unverified (libpq's default).
    Prefer,
    /// TLS always; the certificate is checked only if `sslrootcert` is given.
    Require,
    /// TLS, the certificate signed by a trusted authority.
    VerifyCa,
    /// TLS, the certificate signed by a trusted authority and naming the host.
    VerifyFull,
}

/// Where to connect, parsed and completed.
#[derive(Clone)]
pub struct Target {
    config: tokio_postgres::Config,
    tls: Tls,
    root_cert: Option<PathBuf>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Target {
    /// Parses `url` (`postgres://user@host:port/db?sslmode=require` or
    /// `host=… user=… dbname=…`), taking what it leaves out from the standard environment
    /// (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `PGSSLMODE`,
    /// `PGSSLROOTCERT`) and the password file.
    pub fn parse(url: &str) -> Result<Target, CityError> {
        let (rest, ssl) = take_ssl_params(url.trim());
        let mut config = tokio_postgres::Config::from_str(&rest)
            .map_err(|e| CityError::BadUrl(format!("{e}"), redact(url)))?;
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if config.get_hosts().is_empty() {
            match env("PGHOST") {
                Some(h) => {
                    config.host(&h);
                }
                None => {
                    config.host("localhost");
                }
            }
        }
        if config.get_ports().is_empty() {
            if let Some(p) = env("PGPORT").and_then(|p| p.parse().ok()) {
                config.port(p);
            }
        }
        if config.get_user().is_none() {
            let user = env("PGUSER")
                .or_else(|| env("USER"))
                .unwrap_or_else(|| "postgres".into());
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            if let Some(d) = env("PGDATABASE") {
                config.dbname(&d);
            }
        }
        let mode = ssl.mode.or_else(|| env("PGSSLMODE"));
        let tls = match mode.as_deref() {
            None | Some("prefer") | Some("allow") => Tls::Prefer,
            Some("disable") => Tls::Disable,
            Some("require") => Tls::Require,
            Some("verify-ca") => Tls::VerifyCa,
            Some("verify-full") => Tls::VerifyFull,
            Some(other) => {
                return Err(CityError::BadUrl(
                    format!(
                        "sslmode={other}: use disable, prefer, require, verify-ca or verify-full"
                    ),
                    redact(url),
                ))
            }
        };
        let root_cert = ssl
            .root_cert
            .or_else(|| env("PGSSLROOTCERT"))
            .map(PathBuf::from);
        let mut t = Target {
            config,
            tls,
            root_cert,
        };
        if t.config.get_password().is_none() {
            if let Some(p) = env("PGPASSWORD").or_else(|| t.password_from_file()) {
                t.config.password(p);
            }
        }
        Ok(t)
    }

    /// `user@host:port/db`, never the password.
    pub fn shown(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!(
            "{}@{host}:{port}/{}",
            self.config.get_user().unwrap_or_default(),
            self.config
                .get_dbname()
                .or(self.config.get_user())
                .unwrap_or_default()
        )
    }

    /// The password for this host, port, database and user in the password file, as libpq
    /// reads it (`*` matches anything; `\` escapes `:` and `\`).
    fn password_from_file(&self) -> Option<String> {
        let path = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().join(".pgpass")))?;
        let text = std::fs::read_to_string(&path).ok()?;
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            // libpq matches a socket connection against "localhost".
            _ => "localhost".into(),
        };
        let port = self
            .config
            .get_ports()
            .first()
            .copied()
            .unwrap_or(5432)
            .to_string();
        let user = self.config.get_user().unwrap_or_default().to_string();
        let db = self.config.get_dbname().unwrap_or(&user).to_string();
        pgpass_lookup(&text, [&host, &port, &db, &user])
    }

    /// Connects, and drives the connection on the current runtime.
    pub async fn connect(&self) -> Result<Client, CityError> {
        let shown = self.shown();
        let fail = |e: tokio_postgres::Error| CityError::Connect(shown.clone(), describe(&e));
        let mut config = self.config.clone();
        config.connect_timeout(std::time::Duration::from_secs(10));
        config.application_name("dutydesk");
        if self.tls == Tls::Disable {
            config.ssl_mode(SslMode::Disable);
            let (client, conn) = config.connect(tokio_postgres::NoTls).await.map_err(fail)?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            return Ok(client);
        }
        config.ssl_mode(if self.tls == Tls::Prefer {
            SslMode::Prefer
        } else {
            SslMode::Require
        });
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(self.rustls()?);
        let (client, conn) = config.connect(tls).await.map_err(fail)?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(client)
    }

    fn rustls(&self) -> Result<rustls::ClientConfig, CityError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| CityError::Tls(e.to_string()))?;
        // Without a root certificate, require and prefer encrypt but do not verify, as in
        // libpq; with one, require verifies the authority as verify-ca does.
        let verify = match self.tls {
            Tls::VerifyCa | Tls::VerifyFull => true,
            Tls::Require => self.root_cert.is_some(),
            _ => false,
        };
        if !verify {
            return Ok(builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
                .with_no_client_auth());
        }
        let mut roots = rustls::RootCertStore::empty();
        match &self.root_cert {
            Some(p) => {
                for cert in read_certs(p)? {
                    roots
                        .add(cert)
                        .map_err(|e| CityError::Tls(format!("{}: {e}", p.display())))?;
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let webpki =
            rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| CityError::Tls(e.to_string()))?;
        let verifier: Arc<dyn ServerCertVerifier> = if self.tls == Tls::VerifyFull {
            webpki
        } else {
            Arc::new(AnyName(webpki))
        };
        Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth())
    }
}

fn read_certs(p: &Path) -> Result<Vec<CertificateDer<'static>>, CityError> {
    let bytes = std::fs::read(p).map_err(|e| CityError::Tls(format!("{}: {e}", p.display())))?;
    let certs: Result<Vec<_>, _> = rustls_pemfile::certs(&mut bytes.as_slice()).collect();
    let certs = certs.map_err(|e| CityError::Tls(format!("{}: {e}", p.display())))?;
    if certs.is_empty() {
        return Err(CityError::Tls(format!(
            "{}: no PEM certificate in it",
            p.display()
        )));
    }
    Ok(certs)
}

/// The error's cause as the server or the network put it.
pub fn describe(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

struct Ssl {
    mode: Option<String>,
    root_cert: Option<String>,
}

/// Takes `sslmode` and `sslrootcert` out of a URL's query or a `key=value` string: the client
/// library knows only some modes, and this module does the verifying.
fn take_ssl_params(url: &str) -> (String, Ssl) {
    let mut ssl = Ssl {
        mode: None,
        root_cert: None,
    };
    let mut take = |k: &str, v: &str| match k {
        "sslmode" => {
            ssl.mode = Some(v.to_string());
            true
        }
        "sslrootcert" => {
            ssl.root_cert = Some(percent_decode(v));
            true
        }
        _ => false,
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let Some((base, query)) = url.split_once('?') else {
            return (url.to_string(), ssl);
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                !take(k, v)
            })
            .collect();
        let rest = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        (rest, ssl)
    } else {
        let kept: Vec<&str> = url
            .split_whitespace()
            .filter(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                !take(k.trim(), v.trim_matches('\''))
            })
            .collect();
        (kept.join(" "), ssl)
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL with any password replaced, for messages.
pub fn redact(url: &str) -> String {
    let mut s = url.to_string();
    if let Some(scheme_end) = s.find("://") {
        let after = scheme_end + 3;
        let auth_end = s[after..].find(['/', '?']).map_or(s.len(), |i| after + i);
        if let Some(at) = s[after..auth_end].rfind('@') {
            let auth = &s[after..after + at];
            if let Some(colon) = auth.find(':') {
                s.replace_range(after + colon + 1..after + at, "***");
            }
        }
    }
    // key=value form, and a password in a URL's query.
    let mut out = Vec::new();
    for part in s.split_inclusive([' ', '&', '?']) {
        let trimmed = part.trim_start();
        if trimmed.starts_with("password=") {
            let end = part.trim_end_matches([' ', '&', '?']);
            let sep = &part[end.len()..];
            let lead = &part[..part.len() - trimmed.len()];
            out.push(format!("{lead}password=***{sep}"));
        } else {
            out.push(part.to_string());
        }
    }
    out.concat()
}

/// One `.pgpass` lookup: the first line whose four fields match `want` (or are `*`).
fn pgpass_lookup(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() < 5 {
            continue;
        }
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4..].join(":"));
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("one field").push(n);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut().expect("one field").push(c),
        }
    }
    out
}

/// Encrypts without checking who answers (`sslmode=prefer|require` without a root
/// certificate, as libpq does).
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted authority; the name is not checked.
#[derive(Debug)]
struct AnyName(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            r => r,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_shown() {
        assert_eq!(
            redact("postgres://city:s3cret@db.cq.gov:5432/city?sslmode=require"),
            "postgres://city:***@db.cq.gov:5432/city?sslmode=require"
        );
        assert_eq!(
            redact("host=db user=city password=s3cret dbname=city"),
            "host=db user=city password=*** dbname=city"
        );
        let t = Target::parse("postgres://city:s3cret@db.cq.gov:5433/city").unwrap();
        assert_eq!(t.shown(), "city@db.cq.gov:5433/city");
        assert!(!format!("{t:?}").contains("s3cret"));
    }

    #[test]
    fn ssl_modes_libpq_knows() {
        let t =
            Target::parse("postgres://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem").unwrap();
        assert_eq!(t.tls, Tls::VerifyFull);
        assert_eq!(t.root_cert.as_deref(), Some(Path::new("/etc/ca.pem")));
        let t = Target::parse("host=h user=u sslmode=verify-ca").unwrap();
        assert_eq!(t.tls, Tls::VerifyCa);
        assert_eq!(
            Target::parse("postgres://u@h/db?sslmode=require")
                .unwrap()
                .tls,
            Tls::Require
        );
        let e = Target::parse("postgres://u@h/db?sslmode=strict").unwrap_err();
        assert!(e.to_string().contains("sslmode=strict"), "{e}");
    }

    #[test]
    fn pgpass_lines_match_as_libpq_reads_them() {
        let file =
            "# comment\nother:5432:*:*:no\nlocalhost:5432:city:ddsync:pa\\:ss\n*:*:*:*:any\n";
        assert_eq!(
            pgpass_lookup(file, ["localhost", "5432", "city", "ddsync"]).as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_lookup(file, ["db", "5433", "x", "y"]).as_deref(),
            Some("any")
        );
        assert_eq!(pgpass_lookup("h:1:d:u\n", ["h", "1", "d", "u"]), None);
    }
}
