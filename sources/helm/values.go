package helm

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/strvals"
)

// Layer is one source of values of a release, lowest precedence first, the
// way the deploying object says: values files, then inline values, then
// parameters (Argo CD's helm.parameters are Helm's --set).
type Layer struct {
	File   string     // the repo file that holds them
	Values *yaml.Node // a mapping of values, or nil
	Params []Param    // --set parameters, applied after Values
}

// Param is one --set parameter.
type Param struct {
	Name  string     // "image.tag", "sidecars[0].image"
	Value *yaml.Node // the scalar that holds the value
	// String forces a string (--set-string, Argo CD's forceString).
	String bool
}

// realValues reads a mapping the way Helm reads a values file
// (sigs.k8s.io/yaml: numbers are float64, YAML 1.1 booleans).
func realValues(n *yaml.Node) (map[string]any, error) {
	if n == nil || n.Kind != yaml.MappingNode {
		return map[string]any{}, nil
	}
	data, err := yaml.Marshal(n)
	if err != nil {
		return nil, err
	}
	return chartutil.ReadValues(data)
}

// setParam applies one parameter the way `helm --set` does. Commas are
// escaped (Argo CD does the same), unless the value is a {list}.
func setParam(vals map[string]any, name, value string, asString bool) error {
	if !(strings.HasPrefix(value, "{") && strings.HasSuffix(value, "}")) {
		value = strings.ReplaceAll(value, ",", `\,`)
	}
	if asString {
		return strvals.ParseIntoString(name+"="+value, vals)
	}
	return strvals.ParseInto(name+"="+value, vals)
}

// mergeMaps merges b over a the way Helm merges values files: maps merge
// key by key, anything else replaces.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// yaml11Bools are the plain scalars YAML 1.1 (and so Helm) reads as
// booleans, where YAML 1.2 reads strings.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

// scalarValue is a scalar as Helm reads it.
func scalarValue(n *yaml.Node) any {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value
	}
	if b, ok := yaml11Bools[n.Value]; ok {
		return b
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	case "!!int", "!!float":
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil {
			return f
		}
	}
	return n.Value
}

// versionKey reports keys whose number or empty value is worth a marker:
// a tag or version may be written as a number (tag: 1.10) or left empty
// for the template's default.
func versionKey(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "tag") || strings.Contains(k, "version") || strings.Contains(k, "digest")
}
