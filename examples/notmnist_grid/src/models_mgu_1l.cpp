// The MGU models with 1 layer(s), every supported hidden width (see model_table.hpp).
#include "model_adapter.hpp"

template struct notmnist::model_factory<notmnist::cell_kind::mgu, 1>;
