// The GRU models with 3 layer(s), every supported hidden width (see model_table.hpp).
#include "model_adapter.hpp"

template struct notmnist::model_factory<notmnist::cell_kind::gru, 3>;
