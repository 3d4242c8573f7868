#pragma once
// Reading configuration files (zoo, SANE and sampling configurations) key by key, so that a wrong
// value is reported with the file, the key, the type expected and the value found, never with the
// JSON library's own text.
#include "common/error.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace wse::jsonread {

// How deep arrays and objects may nest in a configuration (ours nest two levels).
constexpr int MaxDepth = 32;

// Parses `text` as a JSON object ("a <what> is a JSON object" otherwise) nested at most MaxDepth deep.
// Throws FormatError naming `label`, with the line and column of a syntax error.
nlohmann::json parseObject(const std::string &text, const std::string &label, const std::string &what);

// A JSON library error as a message: its text without the library's "[json.exception...]" prefix.
std::string describe(const nlohmann::json::exception &error);

// The value as written in the file, shortened for a message.
std::string shown(const nlohmann::json &value);

namespace detail {
template <typename T> struct IsVector : std::false_type {};
template <typename T> struct IsVector<std::vector<T>> : std::true_type {};
template <typename T> struct IsArray : std::false_type {};
template <typename T, size_t N> struct IsArray<std::array<T, N>> : std::true_type {};

template <typename T> std::string expected()
{
    if constexpr (std::is_same_v<T, bool>)
        return "true or false";
    else if constexpr (std::is_integral_v<T>)
        return "a whole number from " + std::to_string(std::numeric_limits<T>::min()) + " to " +
               std::to_string(std::numeric_limits<T>::max());
    else if constexpr (std::is_floating_point_v<T>)
        return "a number";
    else if constexpr (std::is_same_v<T, std::string>)
        return "a text in quotes";
    else if constexpr (IsArray<T>::value)
        return "a list of " + std::to_string(std::tuple_size_v<T>) + " values, each " + expected<typename T::value_type>();
    else
        return "a list of values, each " + expected<typename T::value_type>();
}
} // namespace detail

// `value` (the entry `key` of a file `label`) as T: bool, an integer type (range-checked), a floating
// type, std::string, or a std::vector or std::array of these. Throws FormatError "<label>: '<key>': expected ...,
// found ...".
template <typename T> T get(const nlohmann::json &value, const std::string &key, const std::string &label)
{
    auto wrong = [&] {
        return FormatError(label, "'" + key + "': expected " + detail::expected<T>() + ", found " + shown(value));
    };
    if constexpr (std::is_same_v<T, bool>) {
        if (!value.is_boolean())
            throw wrong();
        return value.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
        if (!value.is_number())
            throw wrong();
        const double number = value.get<double>();
        if (value.is_number_float() && std::floor(number) != number)
            throw wrong();
        if (value.is_number_unsigned()) {
            if (value.get<uint64_t>() > uint64_t(std::numeric_limits<T>::max()))
                throw wrong();
            return T(value.get<uint64_t>());
        }
        if (number < double(std::numeric_limits<T>::min()) || number > double(std::numeric_limits<T>::max()))
            throw wrong();
        return value.is_number_integer() ? T(value.get<int64_t>()) : T(number);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!value.is_number())
            throw wrong();
        return value.get<T>();
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!value.is_string())
            throw wrong();
        return value.get<std::string>();
    } else if constexpr (detail::IsArray<T>::value) {
        if (!value.is_array() || value.size() != std::tuple_size_v<T>)
            throw wrong();
        T out{};
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = get<typename T::value_type>(value[i], key + "[" + std::to_string(i) + "]", label);
        return out;
    } else {
        static_assert(detail::IsVector<T>::value, "jsonread::get reads booleans, numbers, texts and lists of them");
        if (!value.is_array())
            throw wrong();
        T out;
        out.reserve(value.size());
        for (size_t i = 0; i < value.size(); ++i)
            out.push_back(get<typename T::value_type>(value[i], key + "[" + std::to_string(i) + "]", label));
        return out;
    }
}

} // namespace wse::jsonread
