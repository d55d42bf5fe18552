// Typed values (README.md, "The expected-events file"): what the comparison
// needs beyond plain JSON, so that 5 and 5.0 differ and int64 stays exact,
// made from the Go SDK's attribute values (log bodies are attribute values too).
package main

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
)

// typed is one typed value: {"s": ...}, {"i": "..."}, {"o": [[k, v], ...]}, ...
type typed map[string]any

// member is one [key, value] of a typed object.
type member [2]any

func tStr(s string) typed   { return typed{"s": s} }
func tBool(b bool) typed    { return typed{"b": b} }
func tNull() typed          { return typed{"n": nil} }
func tInt(v int64) typed    { return typed{"i": strconv.FormatInt(v, 10)} }
func tUint(v uint64) typed  { return typed{"i": strconv.FormatUint(v, 10)} }
func tObj(m []member) typed { return typed{"o": m} }
func tArr(a []typed) typed  { return typed{"a": a} }

// tDouble is a double as the backend writes it: NaN and ±Inf as null.
func tDouble(v float64) typed {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return tNull()
	}
	return typed{"d": strconv.FormatFloat(v, 'g', -1, 64)}
}

// tMillis is floor(time / 1e6) as the exporters send a time: 0 for the zero
// time and any time before the epoch.
func tMillis(t time.Time) typed {
	return tInt(max(0, t.UnixNano()) / 1000000)
}

// tAttribute is one attribute value or log body (every type the attribute
// package has: since v1.47 bytes, heterogeneous slices, maps and empty too).
func tAttribute(v attribute.Value) typed {
	switch v.Type() {
	case attribute.BOOL:
		return tBool(v.AsBool())
	case attribute.INT64:
		return tInt(v.AsInt64())
	case attribute.FLOAT64:
		return tDouble(v.AsFloat64())
	case attribute.STRING:
		return tStr(v.AsString())
	case attribute.BOOLSLICE:
		return tSlice(v.AsBoolSlice(), tBool)
	case attribute.INT64SLICE:
		return tSlice(v.AsInt64Slice(), tInt)
	case attribute.FLOAT64SLICE:
		return tSlice(v.AsFloat64Slice(), tDouble)
	case attribute.STRINGSLICE:
		return tSlice(v.AsStringSlice(), tStr)
	case attribute.BYTESLICE:
		return tStr(base64.StdEncoding.EncodeToString(v.AsByteSlice()))
	case attribute.SLICE:
		return tSlice(v.AsSlice(), tAttribute)
	case attribute.MAP:
		return tAttributes(v.AsMap())
	}
	return tNull() // EMPTY: the exporters send an empty AnyValue
}

func tSlice[T any](items []T, each func(T) typed) typed {
	out := make([]typed, 0, len(items))
	for _, item := range items {
		out = append(out, each(item))
	}
	return tArr(out)
}

// tAttributes is an attribute list as an object, in its order.
func tAttributes(kvs []attribute.KeyValue) typed {
	m := make([]member, 0, len(kvs))
	for _, kv := range kvs {
		m = append(m, member{string(kv.Key), tAttribute(kv.Value)})
	}
	return tObj(m)
}

// tScope is the optional "scope" field of every event.
func tScope(s instrumentation.Scope) typed {
	return tObj([]member{
		{"name", tStr(s.Name)},
		{"version", tStr(s.Version)},
		{"attributes", tAttributes(s.Attributes.ToSlice())},
	})
}

// resourceFields are a resource's "service" and "resource" fields.
func resourceFields(r *resource.Resource) (service typed, all typed) {
	plain := map[string]any{}
	for _, kv := range r.Attributes() {
		plain[string(kv.Key)] = kv.Value.AsInterface()
	}
	return tStr(serviceName(plain)), tAttributes(r.Attributes())
}
