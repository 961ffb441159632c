package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/ferryhq/ferry/internal/netwait"
	"github.com/ferryhq/ferry/model"
)

// FaultKind says what went wrong talking to a registry, so callers (and
// tests) can tell failures apart without parsing messages.
type FaultKind string

const (
	FaultUnauthorized FaultKind = "unauthorized" // 401: no or wrong credentials
	FaultForbidden    FaultKind = "forbidden"    // 403: credentials lack access
	FaultNotFound     FaultKind = "not-found"    // 404: tag, digest or repository gone
	FaultRateLimited  FaultKind = "rate-limited" // 429 after bounded retries
	FaultServer       FaultKind = "server-error" // 5xx after bounded retries
	FaultTimeout      FaultKind = "timeout"
	FaultTLS          FaultKind = "tls"
	FaultDNS          FaultKind = "dns"
	FaultUnreachable  FaultKind = "unreachable" // connection refused or reset
	FaultPlainHTTP    FaultKind = "plain-http"  // http:// without insecure: true
	FaultCredentials  FaultKind = "credentials" // the keychain itself failed
	FaultInvalid      FaultKind = "invalid"     // the reference cannot be resolved at all
	FaultOther        FaultKind = "other"
)

// Fault is one failure on one reference, in plain words. Message never holds
// credentials: it is built from the status, the host and the repository.
type Fault struct {
	Kind     FaultKind
	Registry string
	Message  string

	callerGone bool // the caller's context ended: not the registry's fault, not kept
}

func (f *Fault) Error() string { return f.Message }

// Problem turns the fault into the model's problem for the cell.
func (f *Fault) Problem() model.Problem {
	return model.Problem{Source: "registry", Message: f.Message}
}

// registryWide reports whether the fault concerns the whole registry, so the
// other references on it fail fast instead of each waiting for the same
// timeout or hammering a rate limit.
func (f *Fault) registryWide() bool {
	switch f.Kind {
	case FaultTimeout, FaultTLS, FaultDNS, FaultUnreachable, FaultPlainHTTP, FaultCredentials, FaultRateLimited:
		return true
	}
	return false
}

// repositoryWide reports whether the fault concerns every reference of the
// repository (credentials are scoped per repository).
func (f *Fault) repositoryWide() bool {
	return f.Kind == FaultUnauthorized || f.Kind == FaultForbidden
}

// what names the object a request was about, for 404 messages.
type what struct {
	host, repo string // repo is the path inside the registry, e.g. "shop/payments"
	object     string // "tag v1.2", "digest sha256:…", "tags"
}

// classify turns an error from go-containerregistry or the network into a
// fault. The original error text is used only where it carries no secret
// (TLS and DNS errors name hosts and certificates, nothing more).
func classify(err error, w what) *Fault {
	var f *Fault
	if errors.As(err, &f) {
		return f
	}
	fault := func(kind FaultKind, format string, args ...any) *Fault {
		return &Fault{Kind: kind, Registry: w.host, Message: "registry " + w.host + ": " + fmt.Sprintf(format, args...)}
	}
	var terr *transport.Error
	if errors.As(err, &terr) {
		return classifyStatus(terr, w, fault)
	}
	var rerr *retriesExhausted
	if errors.As(err, &rerr) {
		return classifyExhausted(rerr, fault)
	}
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr):
		return fault(FaultDNS, "cannot resolve host name %s (DNS lookup failed)", dnsErr.Name)
	case errors.As(err, &unknownCA), errors.As(err, &verifyErr):
		return fault(FaultTLS, "TLS certificate is not trusted (unknown authority); add its CA to the system trust store")
	case errors.As(err, &hostErr):
		return fault(FaultTLS, "TLS certificate is not valid for this host name")
	case errors.As(err, &certErr):
		return fault(FaultTLS, "TLS certificate is invalid (%s)", certReason(certErr))
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"),
		errors.As(err, &recordErr):
		return fault(FaultPlainHTTP, "answers plain HTTP, not HTTPS; if that is intended, set insecure: true for it under registries in ferry.yaml")
	case errors.Is(err, errTimeout), errors.Is(err, context.DeadlineExceeded), isNetTimeout(err):
		if words, ok := netwait.Current().Explain(w.host, err); ok {
			return &Fault{Kind: FaultTimeout, Registry: w.host, Message: "registry " + words}
		}
		return fault(FaultTimeout, "no answer in time (timed out); the registry is slow or unreachable")
	case errors.Is(err, context.Canceled):
		return fault(FaultOther, "lookup cancelled")
	case errors.Is(err, syscall.ECONNREFUSED):
		return fault(FaultUnreachable, "connection refused; is the registry running and the address right?")
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return fault(FaultUnreachable, "connection reset by the registry or a proxy")
	case errors.Is(err, errPlainHTTP):
		// Last: go-containerregistry falls back to plain HTTP for loopback
		// and .local hosts when HTTPS failed, and ferry refusing that
		// fallback is not the cause the user needs to read.
		return fault(FaultPlainHTTP, "plain HTTP is allowed only for registries marked insecure: true in ferry.yaml")
	}
	return fault(FaultOther, "%s failed: %s", describe(w), redactError(err))
}

func classifyStatus(terr *transport.Error, w what, fault func(FaultKind, string, ...any) *Fault) *Fault {
	switch code := terr.StatusCode; {
	case code == http.StatusUnauthorized:
		return fault(FaultUnauthorized, "not authorized to read %s — run docker login %s", w.repo, w.host)
	case code == http.StatusForbidden:
		return fault(FaultForbidden, "access to %s is denied (403 Forbidden); the credentials for %s lack pull permission", w.repo, w.host)
	case code == http.StatusNotFound:
		return fault(FaultNotFound, "%s", notFound(terr, w))
	case code == http.StatusTooManyRequests:
		return fault(FaultRateLimited, "rate limited (429 Too Many Requests); try again later")
	case code >= 500:
		return fault(FaultServer, "server error (%d %s)", code, http.StatusText(code))
	default:
		return fault(FaultOther, "%s failed: unexpected status %d %s", describe(w), code, http.StatusText(code))
	}
}

func classifyExhausted(r *retriesExhausted, fault func(FaultKind, string, ...any) *Fault) *Fault {
	if r.status == http.StatusTooManyRequests {
		if r.wait > 0 {
			return fault(FaultRateLimited, "rate limited (429 Too Many Requests); it asks to wait %s, more than ferry waits — try again later", r.wait)
		}
		return fault(FaultRateLimited, "rate limited (429 Too Many Requests) after %d tries; try again later", r.tries)
	}
	return fault(FaultServer, "server error (%d %s) after %d tries", r.status, http.StatusText(r.status), r.tries)
}

// notFound says what was missing: the registry's error code tells a
// missing repository from a missing tag; a HEAD response has no body, so
// there both are possible.
func notFound(terr *transport.Error, w what) string {
	for _, d := range terr.Errors {
		switch d.Code {
		case transport.NameUnknownErrorCode:
			return "repository " + w.repo + " not found"
		case transport.ManifestUnknownErrorCode:
			return w.object + " not found in " + w.repo
		}
	}
	if terr.Request != nil && terr.Request.URL.Path == "/v2/" {
		return "no registry API at /v2/ (not found)"
	}
	return w.object + " not found in " + w.repo + " (or the repository does not exist)"
}

func describe(w what) string {
	if w.object == "" {
		return "reading " + w.repo
	}
	return "reading " + w.object + " of " + w.repo
}

func certReason(e x509.CertificateInvalidError) string {
	switch e.Reason {
	case x509.Expired:
		return "expired or not yet valid"
	case x509.NotAuthorizedToSign:
		return "its issuer may not sign certificates"
	}
	return "rejected by verification"
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// redactError keeps the first line of an error and drops anything that
// looks like a credential (URL user info, token or password parameters).
func redactError(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	var words []string
	for _, word := range strings.Fields(s) {
		lower := strings.ToLower(word)
		if strings.Contains(lower, "token") || strings.Contains(lower, "password") ||
			strings.Contains(lower, "bearer") || strings.Contains(lower, "basic") || strings.Contains(word, "@") && strings.Contains(word, "://") {
			word = "[redacted]"
		}
		words = append(words, word)
	}
	return strings.Join(words, " ")
}
