// Not API: helpers for the registration macros.
#pragma once

#define PATCHBAY_DETAIL_CAT2(a, b) a##b
#define PATCHBAY_DETAIL_CAT(a, b) PATCHBAY_DETAIL_CAT2(a, b)
