// Spherical k-means on CSR buffers owned by numpy (themescope.cluster wraps these).
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "interrupt.hpp"
#include "numpy_buffers.hpp"
#include "registrations.hpp"
#include "themescope/kmeans.hpp"

namespace py = pybind11;

namespace themescope::bindings {

namespace {

using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Fortran = py::array_t<double, py::array::f_style | py::array::forcecast>;

// The CSR buffers of one call, kept alive (and typed) for as long as the view is used.
template <class Index>
struct Rows {
  Doubles data;
  py::array_t<Index, py::array::c_style> indices, indptr;
  SparseRows<Index> view;
};

template <class Index>
Rows<Index> rows_of(const py::array& data, const py::array& indices, const py::array& indptr, std::int64_t n_cols) {
  Rows<Index> r;
  r.data = Doubles::ensure(data);
  r.indices = py::array_t<Index, py::array::c_style>::ensure(indices);
  r.indptr = py::array_t<Index, py::array::c_style>::ensure(indptr);
  if (!r.data || !r.indices || !r.indptr) throw py::type_error("CSR buffers of unexpected types");
  if (r.data.ndim() != 1 || r.indices.ndim() != 1 || r.indptr.ndim() != 1 || r.indptr.size() < 1) {
    throw std::invalid_argument("CSR buffers must be non-empty 1-D arrays");
  }
  r.view = {static_cast<std::int64_t>(r.indptr.size()) - 1, n_cols,
            {r.indptr.data(), static_cast<std::size_t>(r.indptr.size())},
            {r.indices.data(), static_cast<std::size_t>(r.indices.size())},
            {r.data.data(), static_cast<std::size_t>(r.data.size())}};
  return r;
}

// Calls f(view) with the view typed by the dtype of indices (int32 or int64), GIL released.
template <class F>
auto with_rows(const py::array& data, const py::array& indices, const py::array& indptr, std::int64_t n_cols,
               F&& f) {
  // isinstance compares dtypes by equivalence (an unpickled array's dtype is equal, not identical).
  if (py::isinstance<py::array_t<std::int32_t>>(indices) && py::isinstance<py::array_t<std::int32_t>>(indptr)) {
    auto r = rows_of<std::int32_t>(data, indices, indptr, n_cols);
    // Validation and clustering read numpy-owned buffers only, no Python objects.
    InterruptibleRelease release;  // Ctrl-C stops it
    validate_rows(r.view);
    return f(r.view);
  }
  if (py::isinstance<py::array_t<std::int64_t>>(indices) && py::isinstance<py::array_t<std::int64_t>>(indptr)) {
    auto r = rows_of<std::int64_t>(data, indices, indptr, n_cols);
    // Validation and clustering read numpy-owned buffers only, no Python objects.
    InterruptibleRelease release;  // Ctrl-C stops it
    validate_rows(r.view);
    return f(r.view);
  }
  throw py::type_error("indices and indptr must both be int32 or both int64, got " +
                       std::string(py::str(indices.dtype())) + " and " + std::string(py::str(indptr.dtype())));
}

Centroids centroids_of(const Fortran& centers, std::int64_t n_cols) {
  if (centers.ndim() != 2) throw std::invalid_argument("centroids must be a 2-D array");
  if (centers.shape(1) != n_cols) {
    throw std::invalid_argument("centroids have " + std::to_string(centers.shape(1)) + " features, the matrix has " +
                                std::to_string(n_cols));
  }
  return Eigen::Map<const Centroids>(centers.data(), centers.shape(0), centers.shape(1));
}

// k x d float64, Fortran order, owning the Eigen matrix (no copy).
py::array centroids_to_numpy(Centroids&& centroids) {
  auto* owned = new Centroids(std::move(centroids));
  py::capsule owner(owned, [](void* p) noexcept { delete static_cast<Centroids*>(p); });
  const auto k = static_cast<py::ssize_t>(owned->rows());
  return py::array_t<double>({k, static_cast<py::ssize_t>(owned->cols())},
                             {static_cast<py::ssize_t>(sizeof(double)), static_cast<py::ssize_t>(sizeof(double)) * k},
                             owned->data(), owner);
}

py::dict fit_to_dict(KMeansFit&& fit) {
  py::dict out;
  out["labels"] = to_numpy(std::move(fit.best.labels));
  out["cluster_centers"] = centroids_to_numpy(std::move(fit.best.centroids));
  out["inertia"] = fit.best.inertia;
  out["n_iter"] = fit.best.n_iter;
  out["inertia_history"] = to_numpy(std::move(fit.best.inertia_history));
  out["relocated"] = fit.best.relocated;
  out["run_inertia"] = to_numpy(std::move(fit.run_inertia));
  out["best_run"] = fit.best_run;
  return out;
}

// Batch of problems, all with indices of one dtype: the arrays kept alive, the views made.
template <class Index>
std::vector<py::dict> batch_of(const py::list& problems, const LloydOptions& options) {
  using Ints = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
  std::vector<Rows<Index>> rows;
  std::vector<Ints> first_rows;
  std::vector<Doubles> uniforms;
  std::vector<KMeansProblem<Index>> views;
  rows.reserve(problems.size());
  for (const py::handle item : problems) {
    const auto t = item.cast<py::tuple>();
    if (t.size() != 8) {
      throw std::invalid_argument("each problem is (data, indices, indptr, n_cols, n_clusters, first_rows, "
                                  "uniforms, n_local_trials)");
    }
    const auto indices = t[1].cast<py::array>(), indptr = t[2].cast<py::array>();
    if (!py::isinstance<py::array_t<Index>>(indices) || !py::isinstance<py::array_t<Index>>(indptr)) {
      throw py::type_error("every problem of a batch needs indices and indptr of the first one's dtype");
    }
    rows.push_back(rows_of<Index>(t[0].cast<py::array>(), indices, indptr, t[3].cast<std::int64_t>()));
    first_rows.push_back(Ints::ensure(t[5]));
    uniforms.push_back(Doubles::ensure(t[6]));
    if (!first_rows.back() || !uniforms.back()) throw py::type_error("first_rows and uniforms must be arrays");
    views.push_back({rows.back().view, t[4].cast<std::size_t>(),
                     {first_rows.back().data(), static_cast<std::size_t>(first_rows.back().size())},
                     {uniforms.back().data(), static_cast<std::size_t>(uniforms.back().size())},
                     t[7].cast<std::size_t>()});
  }
  std::vector<KMeansFit> fits;
  {
    // The fits read numpy-owned buffers only, no Python objects.
    InterruptibleRelease release;  // Ctrl-C stops it
    fits = spherical_kmeans_batch<Index>(views, options);
  }
  std::vector<py::dict> out;
  out.reserve(fits.size());
  for (auto& fit : fits) out.push_back(fit_to_dict(std::move(fit)));
  return out;
}

// dense_spherical_kmeans_batch: the problems' arrays checked and viewed with the GIL held,
// then fitted without it.
py::list dense_batch(py::list problems, int max_iter, double tol) {
  using Ints = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
  const LloydOptions options{max_iter, tol};
  std::vector<Doubles> rows;
  std::vector<Ints> first_rows;
  std::vector<Doubles> uniforms;
  std::vector<DenseKMeansProblem> views;
  for (const py::handle item : problems) {
    const auto t = item.cast<py::tuple>();
    if (t.size() != 5) {
      throw std::invalid_argument("each problem is (rows, n_clusters, first_rows, uniforms, n_local_trials)");
    }
    rows.push_back(Doubles::ensure(t[0]));
    first_rows.push_back(Ints::ensure(t[2]));
    uniforms.push_back(Doubles::ensure(t[3]));
    if (!rows.back() || !first_rows.back() || !uniforms.back()) throw py::type_error("problems hold arrays");
    if (rows.back().ndim() != 2) throw std::invalid_argument("the rows of a problem must be a 2-D array");
    DenseKMeansProblem view;
    view.rows = rows.back().data();
    view.n_rows = rows.back().shape(0);
    view.n_cols = rows.back().shape(1);
    view.n_clusters = t[1].cast<std::size_t>();
    view.first_rows = {first_rows.back().data(), static_cast<std::size_t>(first_rows.back().size())};
    view.uniforms = {uniforms.back().data(), static_cast<std::size_t>(uniforms.back().size())};
    view.n_local_trials = t[4].cast<std::size_t>();
    views.push_back(view);
  }
  std::vector<KMeansFit> fits;
  {
    // The fits read numpy-owned buffers only, no Python objects.
    InterruptibleRelease release;  // Ctrl-C stops it
    fits = dense_spherical_kmeans_batch(views, options);
  }
  py::list out;
  for (auto& fit : fits) out.append(fit_to_dict(std::move(fit)));
  return out;
}

// The fits: k-means++ seeding and spherical Lloyd iterations, one problem or a batch.
void register_kmeans_fits(py::module_& m) {
  m.def(
      "spherical_kmeans",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols, std::size_t n_clusters,
         py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> first_rows, Doubles uniforms,
         std::size_t n_local_trials, int max_iter, double tol) {
        const LloydOptions options{max_iter, tol};
        KMeansFit fit = with_rows(data, indices, indptr, n_cols, [&](const auto& rows) {
          return spherical_kmeans(rows, n_clusters, {first_rows.data(), static_cast<std::size_t>(first_rows.size())},
                                  {uniforms.data(), static_cast<std::size_t>(uniforms.size())}, n_local_trials,
                                  options);
        });
        return fit_to_dict(std::move(fit));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"), py::arg("n_clusters"),
      py::arg("first_rows"), py::arg("uniforms"), py::arg("n_local_trials"), py::arg("max_iter"), py::arg("tol"),
      "len(first_rows) runs of k-means++ seeding and spherical Lloyd iterations; the run of lowest inertia.");

  m.def(
      "spherical_kmeans_batch",
      [](py::list problems, int max_iter, double tol) -> std::vector<py::dict> {
        const LloydOptions options{max_iter, tol};
        if (problems.empty()) return {};
        const auto indices = problems[0].cast<py::tuple>()[1];
        if (py::isinstance<py::array_t<std::int32_t>>(indices)) return batch_of<std::int32_t>(problems, options);
        if (py::isinstance<py::array_t<std::int64_t>>(indices)) return batch_of<std::int64_t>(problems, options);
        throw py::type_error("indices must be int32 or int64");
      },
      py::arg("problems"), py::arg("max_iter"), py::arg("tol"),
      "spherical_kmeans of each (data, indices, indptr, n_cols, n_clusters, first_rows, uniforms, "
      "n_local_trials), the problems spread over the threads; a list of the same dicts.");

  m.def(
      "dense_spherical_kmeans_batch",
      &dense_batch,
      py::arg("problems"), py::arg("max_iter"), py::arg("tol"),
      "spherical k-means of each (rows: n x d C-contiguous float64, n_clusters, first_rows, uniforms, "
      "n_local_trials) on dense rows, the problems spread over the threads; a list of dicts as spherical_kmeans.");

  m.def(
      "spherical_kmeans_from",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols, Fortran init, int max_iter,
         double tol) {
        const Centroids initial = centroids_of(init, n_cols);
        const LloydOptions options{max_iter, tol};
        KMeansFit fit = with_rows(data, indices, indptr, n_cols, [&](const auto& rows) {
          return spherical_kmeans_from(rows, initial, options);
        });
        return fit_to_dict(std::move(fit));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"), py::arg("init"),
      py::arg("max_iter"), py::arg("tol"), "Spherical Lloyd iterations from the given (unit) centroids.");

}

// The pieces of a fit on their own: seeding, similarities to centroids, assignment.
void register_centroid_steps(py::module_& m) {
  m.def(
      "kmeans_plus_plus",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols, std::size_t n_clusters,
         std::int64_t first_row, Doubles uniforms, std::size_t n_local_trials) {
        auto seeds = with_rows(data, indices, indptr, n_cols, [&](const auto& rows) {
          return kmeans_plus_plus(rows, n_clusters, first_row,
                                  {uniforms.data(), static_cast<std::size_t>(uniforms.size())}, n_local_trials);
        });
        return to_numpy(std::move(seeds));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"), py::arg("n_clusters"),
      py::arg("first_row"), py::arg("uniforms"), py::arg("n_local_trials"),
      "The rows greedy k-means++ picks as centres, from the given draws.");

  m.def(
      "cosine_similarities",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols, Fortran centers) {
        const Centroids c = centroids_of(centers, n_cols);
        std::vector<double> s = with_rows(data, indices, indptr, n_cols,
                                          [&](const auto& rows) { return cosine_similarities(rows, c); });
        const auto k = static_cast<py::ssize_t>(c.rows());
        const auto n = static_cast<py::ssize_t>(s.size()) / std::max<py::ssize_t>(k, 1);
        return to_numpy(std::move(s)).reshape({n, k});
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"), py::arg("centers"),
      "n x k dot products of the rows with the centroids.");

  m.def(
      "assign_to_centroids",
      [](py::array data, py::array indices, py::array indptr, std::int64_t n_cols, Fortran centers) {
        const Centroids c = centroids_of(centers, n_cols);
        Assignment a = with_rows(data, indices, indptr, n_cols,
                                 [&](const auto& rows) { return assign_to_centroids(rows, c); });
        return py::make_tuple(to_numpy(std::move(a.labels)), to_numpy(std::move(a.similarity)));
      },
      py::arg("data"), py::arg("indices"), py::arg("indptr"), py::arg("n_cols"), py::arg("centers"),
      "Each row's centroid of highest similarity (ties: lowest index) and that similarity.");
}

}  // namespace

void register_clustering(py::module_& m) {
  register_kmeans_fits(m);
  register_centroid_steps(m);
}

}  // namespace themescope::bindings
