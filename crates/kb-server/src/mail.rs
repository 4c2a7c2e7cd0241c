//! Mail over SMTP (`--smtp-url`): the sign-in link, in the person's language, as plain
//! text and HTML. The URL may hold a password, so it is never printed: its `Debug` shows
//! the scheme and host only, and errors of the transport are logged without it. The
//! address a message goes to is never logged either.

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A checked `--smtp-url`.
#[derive(Clone)]
pub struct SmtpUrl {
    url: String,
    /// `scheme://host:port`, for logs and `Debug`.
    shown: String,
}

impl SmtpUrl {
    /// Reads `smtp://host:port` (plain), `smtp://host:port?tls=required` (STARTTLS) or
    /// `smtps://host:port` (TLS), as lettre's transport understands them.
    pub fn parse(text: &str) -> Result<Self, String> {
        let url = url::Url::parse(text.trim())
            .map_err(|_| "give an SMTP URL such as smtps://mail.example.nl".to_owned())?;
        if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
            return Err("give an SMTP URL such as smtps://mail.example.nl".to_owned());
        }
        AsyncSmtpTransport::<Tokio1Executor>::from_url(text.trim())
            .map_err(|e| format!("not a usable SMTP URL: {e}"))?;
        let shown = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port()
                .unwrap_or(if url.scheme() == "smtps" { 465 } else { 587 })
        );
        Ok(Self {
            url: text.trim().to_owned(),
            shown,
        })
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Sends the server's mail.
#[derive(Clone)]
pub(crate) struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// One message: its subject and its text, plain and as HTML.
pub(crate) struct Letter {
    pub(crate) subject: String,
    pub(crate) text: String,
    pub(crate) html: String,
}

impl Mailer {
    /// The mailer of `--smtp-url` and `--mail-from`.
    pub(crate) fn new(url: &SmtpUrl, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.url)
            .map_err(|e| format!("--smtp-url: {e}"))?
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("--mail-from `{from}`: {e}"))?;
        Ok(Self { transport, from })
    }

    /// Sends `letter` to `to`; a failure is logged (without the address) and reported
    /// by its kind.
    pub(crate) async fn send(&self, to: &str, letter: Letter) -> Result<(), SendFailure> {
        let to: Mailbox = to.parse().map_err(|_| {
            tracing::warn!("an address could not be used as a mailbox");
            SendFailure {
                kind: "address",
                permanent: true,
            }
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(letter.subject)
            .multipart(MultiPart::alternative_plain_html(letter.text, letter.html))
            .map_err(|e| {
                tracing::error!(error = %e, "a message could not be built");
                SendFailure {
                    kind: "message",
                    permanent: true,
                }
            })?;
        // The server's answer may quote the address: only its kind and code are logged.
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            let failure = SendFailure::of(&e);
            tracing::error!(
                kind = failure.kind,
                permanent = e.is_permanent(),
                transient = e.is_transient(),
                code = e.status().map(|c| c.to_string()).unwrap_or_default(),
                "a message could not be sent"
            );
            failure
        })
    }
}

/// Why a message was not sent, by kind only: the SMTP server's words may quote the
/// address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SendFailure {
    /// `address`, `message`, `permanent` (a 5xx answer), `transient` (a 4xx answer),
    /// `timeout`, `tls` or `connection`.
    pub(crate) kind: &'static str,
    /// Whether trying again cannot help (an unusable address or message).
    pub(crate) permanent: bool,
}

impl SendFailure {
    fn of(e: &lettre::transport::smtp::Error) -> Self {
        let kind = if e.is_permanent() {
            "permanent"
        } else if e.is_transient() {
            "transient"
        } else if e.is_timeout() {
            "timeout"
        } else if e.is_tls() {
            "tls"
        } else {
            "connection"
        };
        // A refusal by the server is retried too: it may be a policy that changes.
        Self {
            kind,
            permanent: false,
        }
    }
}

/// The message with a sign-in link, in Dutch or English. `link` is on the public URL.
pub(crate) fn sign_in_letter(link: &str, english: bool, minutes: i64) -> Letter {
    let escaped = html_escape(link);
    if english {
        Letter {
            subject: "Sign in to Kennisbank".to_owned(),
            text: format!(
                "Hello,\n\nSomeone (we hope you) asked to sign in to Kennisbank with this address.\n\
                 Open this link within {minutes} minutes to sign in; it works once:\n\n{link}\n\n\
                 If you did not ask for it, you can ignore this message.\n"
            ),
            html: format!(
                "<!doctype html><html lang=\"en\"><body><p>Hello,</p><p>Someone (we hope you) \
                 asked to sign in to Kennisbank with this address. Open this link within \
                 {minutes} minutes to sign in; it works once:</p><p><a href=\"{escaped}\">Sign in \
                 to Kennisbank</a></p><p>If you did not ask for it, you can ignore this \
                 message.</p></body></html>"
            ),
        }
    } else {
        Letter {
            subject: "Aanmelden bij Kennisbank".to_owned(),
            text: format!(
                "Hallo,\n\nIemand (hopelijk u) wil zich met dit adres aanmelden bij Kennisbank.\n\
                 Open deze link binnen {minutes} minuten om u aan te melden; hij werkt één keer:\n\n{link}\n\n\
                 Heeft u hier niet om gevraagd, dan kunt u dit bericht negeren.\n"
            ),
            html: format!(
                "<!doctype html><html lang=\"nl\"><body><p>Hallo,</p><p>Iemand (hopelijk u) wil \
                 zich met dit adres aanmelden bij Kennisbank. Open deze link binnen {minutes} \
                 minuten om u aan te melden; hij werkt één keer:</p><p><a href=\"{escaped}\">\
                 Aanmelden bij Kennisbank</a></p><p>Heeft u hier niet om gevraagd, dan kunt u \
                 dit bericht negeren.</p></body></html>"
            ),
        }
    }
}

/// `s` safe inside HTML text and double-quoted attributes.
pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_smtp_url_is_checked_and_never_shows_its_password() {
        let url = SmtpUrl::parse("smtps://user:secret@mail.example.nl").expect("url");
        assert_eq!(format!("{url:?}"), "smtps://mail.example.nl:465");
        let url = SmtpUrl::parse("smtp://127.0.0.1:2525").expect("url");
        assert_eq!(format!("{url:?}"), "smtp://127.0.0.1:2525");
        for bad in ["mail.example.nl", "http://mail.example.nl", "smtp://"] {
            assert!(SmtpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_letter_is_in_the_persons_language_with_the_link_in_both_parts() {
        let link = "https://kb.example/aanmelden/link?token=a&b";
        let nl = sign_in_letter(link, false, 15);
        assert_eq!(nl.subject, "Aanmelden bij Kennisbank");
        assert!(nl.text.contains(link));
        assert!(
            nl.html
                .contains("href=\"https://kb.example/aanmelden/link?token=a&amp;b\"")
        );
        assert!(nl.text.contains("15 minuten"));
        let en = sign_in_letter(link, true, 15);
        assert_eq!(en.subject, "Sign in to Kennisbank");
        assert!(en.text.contains("within 15 minutes"));
    }
}
