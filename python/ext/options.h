// The keyword arguments of otelpack.SpanExporter as ExporterOptions: the
// OTELPACK_* environment first (ExporterOptions::FromEnvironment), then every
// argument given, so an argument wins over its variable. Durations are
// seconds (int or float), as the Python SDK's own exporters take them.
//
// Messages name the argument and never hold the value of a credential
// (api_key, password, secret) or the user part of a URL.
#ifndef OTELPACK_PYTHON_EXT_OPTIONS_H_
#define OTELPACK_PYTHON_EXT_OPTIONS_H_

#include <nanobind/nanobind.h>

#include "otelpack/exporter.h"
#include "otelpack/status.h"

namespace otelpack::python {

// `kwargs`: argument name -> value, None already left out by the caller.
// InvalidArgument naming the first argument of the wrong type, an unknown
// name, a bad value, or what ExporterOptions::Validate refuses.
// REQUIRES: the GIL is held.
Result<ExporterOptions> OptionsFromKwargs(nanobind::dict kwargs);

}  // namespace otelpack::python

#endif  // OTELPACK_PYTHON_EXT_OPTIONS_H_
