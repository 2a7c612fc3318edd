// The one header a component author includes.
#pragma once

#include "patchbay/args.hpp"
#include "patchbay/component.hpp"
#include "patchbay/param.hpp"
#include "patchbay/payload.hpp"
#include "patchbay/port.hpp"
#include "patchbay/registry.hpp"
#include "patchbay/value.hpp"
