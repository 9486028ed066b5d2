#pragma once
// Everything rnncell offers. Each header also stands on its own.
#include <rnncell/adam.hpp>
#include <rnncell/base.hpp>
#include <rnncell/checkpoint.hpp>
#include <rnncell/dense.hpp>
#include <rnncell/gru.hpp>
#include <rnncell/import.hpp>
#include <rnncell/init.hpp>
#include <rnncell/loss.hpp>
#include <rnncell/lstm.hpp>
#include <rnncell/mgu.hpp>
#include <rnncell/model.hpp>
#include <rnncell/parameters.hpp>
#include <rnncell/random.hpp>
#include <rnncell/stacked.hpp>
#include <rnncell/stream.hpp>
#include <rnncell/version.hpp>
