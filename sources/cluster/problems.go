package cluster

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/ferryhq/ferry/internal/netwait"
)

// describe turns a failed read into plain words naming the context, the
// resource and the namespace, and says what probably went wrong.
func describe(context, resource, namespace string, err error) string {
	where := "in all namespaces"
	if namespace != "" {
		where = "in namespace " + namespace
	}
	if contextWide(err) {
		return describeContext(context, err)
	}
	what := fmt.Sprintf("context %q: cannot read %s %s", context, resource, where)
	switch {
	case apierrors.IsForbidden(err):
		return what + ": forbidden by RBAC (" + apiMessage(err) + ")"
	case apierrors.IsNotFound(err):
		return what + ": the API server does not serve them"
	}
	return what + ": " + err.Error()
}

// describeContext words a failure of the whole context: no request can
// succeed, whatever it reads.
func describeContext(context string, err error) string {
	switch {
	case apierrors.IsUnauthorized(err):
		return fmt.Sprintf("context %q: the API server rejected the credentials (expired or invalid?)", context)
	case isExecPluginError(err):
		return fmt.Sprintf("context %q: the credential plugin failed: %s", context, pluginCause(err))
	}
	if words, ok := netwait.Current().Explain(strings.TrimSpace("its API server "+serverOf(err)), err); ok {
		return fmt.Sprintf("context %q: %s", context, words)
	}
	return fmt.Sprintf("context %q: API server unreachable: %s", context, rootCause(err))
}

// serverOf is the host a failed request went to, from client-go's URL error.
func serverOf(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if u, perr := url.Parse(urlErr.URL); perr == nil && u.Host != "" {
			return u.Host
		}
	}
	return ""
}

// pluginCause drops the request client-go puts in front of a plugin error.
func pluginCause(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "getting credentials: "); i >= 0 {
		return msg[i+len("getting credentials: "):]
	}
	return msg
}

// contextWide reports whether an error concerns the whole context (server,
// credentials) rather than one resource or namespace.
func contextWide(err error) bool {
	return apierrors.IsUnauthorized(err) || isExecPluginError(err) || (isUnreachable(err) && !isAPIStatus(err))
}

func isAPIStatus(err error) bool {
	var status apierrors.APIStatus
	return errors.As(err, &status)
}

func apiMessage(err error) string {
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return status.Status().Message
	}
	return err.Error()
}

func isExecPluginError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "getting credentials") || strings.Contains(msg, "exec plugin")
}

func isUnreachable(err error) bool {
	var netErr net.Error
	var urlErr *url.Error
	var opErr *net.OpError
	return errors.As(err, &opErr) || errors.As(err, &netErr) || errors.As(err, &urlErr) ||
		strings.Contains(err.Error(), "connection refused")
}

// rootCause drops the request URL client-go puts in front of network errors.
func rootCause(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Error()
	}
	return err.Error()
}
