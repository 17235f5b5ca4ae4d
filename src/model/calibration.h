#pragma once

#include <vector>

#include "model/classifier.h"

namespace shopdesk::model {

//! The temperature T in [0.01, 100] under which softmax(scores / T) makes the true labels most likely (the
//! mean negative log-likelihood is smallest): temperature scaling, fitted on validation data. 1 when there
//! are no scores.
double fitTemperature(const std::vector<std::vector<double>>& scores, const std::vector<int>& truth);

//! The mean negative log-likelihood of `truth` under softmax(scores / temperature).
double negativeLogLikelihood(const std::vector<std::vector<double>>& scores, const std::vector<int>& truth,
                             double temperature);

//! Every label ranked by softmax(scores / temperature), highest first; ties go to the lower label.
std::vector<Ranked> rankBySoftmax(const std::vector<double>& scores, double temperature);

}  // namespace shopdesk::model
