#pragma once
// The one place that includes xtensor. Debian 12 ships xtensor 0.24, whose headers sit directly in
// <xtensor/...>; upstream 0.26 moved them into sub-folders. Keep every xtensor include here.
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>
